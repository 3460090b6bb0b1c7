// Stand-in for android.app.Instrumentation, API 36 (AOSP core/java/android/app/Instrumentation.java).
package android.app;

import android.content.Context;

public class Instrumentation {
    public Context getContext() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public Context getTargetContext() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
