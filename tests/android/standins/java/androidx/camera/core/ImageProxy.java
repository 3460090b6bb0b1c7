// Stand-in for androidx.camera.core.ImageProxy, androidx.camera:camera-core 1.5
// (developer.android.com/reference/androidx/camera/core/ImageProxy: "public interface ImageProxy
// extends AutoCloseable"; abstract void close(); abstract @NonNull Rect getCropRect();
// abstract int getFormat(); abstract int getHeight(); abstract int getWidth();
// abstract @NonNull ImageInfo getImageInfo(); default @NonNull Bitmap toBitmap() (added in 1.3.0)).
// Only the members generated code uses. Compile only.
package androidx.camera.core;

import android.graphics.Bitmap;
import android.graphics.Rect;

public interface ImageProxy extends AutoCloseable {
    @Override
    void close();

    Rect getCropRect();

    int getFormat();

    int getHeight();

    int getWidth();

    ImageInfo getImageInfo();

    default Bitmap toBitmap() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
