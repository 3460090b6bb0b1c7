// Stand-in for androidx.test.platform.app.InstrumentationRegistry, androidx.test:monitor 1.8
// (android/android-test core/java/androidx/test/platform/app/InstrumentationRegistry.java).
package androidx.test.platform.app;

import android.app.Instrumentation;

public final class InstrumentationRegistry {
    private InstrumentationRegistry() {}

    public static Instrumentation getInstrumentation() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
