// Stand-in for androidx.camera.core.Preview, androidx.camera:camera-core 1.6 ("public final class
// Preview extends UseCase"; void setSurfaceProvider(@Nullable Preview.SurfaceProvider);
// Preview.Builder: Builder(), Preview build(); interface Preview.SurfaceProvider). Compile only.
package androidx.camera.core;

public final class Preview extends UseCase {
    private Preview() {}

    public interface SurfaceProvider {}

    public void setSurfaceProvider(SurfaceProvider surfaceProvider) {}

    public static final class Builder {
        public Builder() {}

        public Preview build() {
            throw new UnsupportedOperationException("compile-time stand-in");
        }
    }
}
