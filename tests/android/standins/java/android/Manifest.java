// Stand-in for android.Manifest.permission, API 36 (developer.android.com/reference/android/
// Manifest.permission: CAMERA = "android.permission.CAMERA"). Compile only.
package android;

public final class Manifest {
    private Manifest() {}

    public static final class permission {
        public static final String CAMERA = "android.permission.CAMERA";

        private permission() {}
    }
}
