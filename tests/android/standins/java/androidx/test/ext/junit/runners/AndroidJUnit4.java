// Stand-in for androidx.test.ext.junit.runners.AndroidJUnit4, androidx.test.ext:junit 1.3.0
// (android/android-test ext/junit/java/androidx/test/ext/junit/runners/AndroidJUnit4.java).
package androidx.test.ext.junit.runners;

import org.junit.runner.Description;
import org.junit.runner.Runner;
import org.junit.runner.notification.RunNotifier;

public final class AndroidJUnit4 extends Runner {
    public AndroidJUnit4(Class<?> klass) {}

    @Override
    public Description getDescription() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    @Override
    public void run(RunNotifier notifier) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
