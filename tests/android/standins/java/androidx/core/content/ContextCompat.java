// Stand-in for androidx.core.content.ContextCompat (androidx.core:core 1.17, a dependency of
// androidx.activity; core/core/src/main/java/androidx/core/content/ContextCompat.java:
// public static @NonNull Executor getMainExecutor(@NonNull Context context)). Compile only.
package androidx.core.content;

import android.content.Context;
import java.util.concurrent.Executor;

public class ContextCompat {
    protected ContextCompat() {}

    public static Executor getMainExecutor(Context context) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
