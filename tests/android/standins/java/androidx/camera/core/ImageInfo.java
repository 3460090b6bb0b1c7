// Stand-in for androidx.camera.core.ImageInfo, androidx.camera:camera-core 1.5
// (developer.android.com/reference/androidx/camera/core/ImageInfo: abstract int getRotationDegrees(),
// "a clockwise rotation in degrees that needs to be applied to the image buffer", one of 0, 90,
// 180, 270; abstract long getTimestamp()). Compile only.
package androidx.camera.core;

public interface ImageInfo {
    int getRotationDegrees();

    long getTimestamp();
}
