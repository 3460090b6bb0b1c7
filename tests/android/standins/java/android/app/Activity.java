// Stand-in for android.app.Activity, API 36 (AOSP core/java/android/app/Activity.java); the real
// class extends ContextThemeWrapper, itself a ContextWrapper.
package android.app;

import android.content.ContextWrapper;
import android.os.Bundle;

public class Activity extends ContextWrapper {
    protected void onCreate(Bundle savedInstanceState) {}
}
