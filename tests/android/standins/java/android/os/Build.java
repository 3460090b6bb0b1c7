// Stand-in for android.os.Build.VERSION / VERSION_CODES, API 36 (AOSP core/java/android/os/Build.java).
// Only the members generated code uses. Compile only.
package android.os;

public class Build {
    public static class VERSION {
        public static final int SDK_INT = 36;
    }

    public static class VERSION_CODES {
        public static final int P = 28;
    }
}
