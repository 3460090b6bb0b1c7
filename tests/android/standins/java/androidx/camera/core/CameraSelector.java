// Stand-in for androidx.camera.core.CameraSelector, androidx.camera:camera-core 1.6
// ("public static final @NonNull CameraSelector DEFAULT_BACK_CAMERA"). Compile only.
package androidx.camera.core;

public final class CameraSelector {
    public static final CameraSelector DEFAULT_BACK_CAMERA = new CameraSelector();

    private CameraSelector() {}
}
