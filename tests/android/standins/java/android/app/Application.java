// Stand-in for android.app.Application, API 36 (AOSP core/java/android/app/Application.java).
package android.app;

import android.content.ContextWrapper;

public class Application extends ContextWrapper {}
