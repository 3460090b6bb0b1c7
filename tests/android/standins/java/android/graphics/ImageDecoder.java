// Stand-in for android.graphics.ImageDecoder, API 36 (developer.android.com/reference/android/graphics/
// ImageDecoder; AOSP graphics/java/android/graphics/ImageDecoder.java, added in API 28): "public final
// class ImageDecoder implements AutoCloseable"; static Source createSource(ContentResolver, Uri);
// static Bitmap decodeBitmap(Source, OnHeaderDecodedListener) throws IOException; void
// setTargetSize(int, int); void setAllocator(int); int getAllocator(); ALLOCATOR_SOFTWARE = 1;
// ImageInfo.getSize(). Only the members generated code uses. Compile only.
package android.graphics;

import android.content.ContentResolver;
import android.net.Uri;
import android.util.Size;
import java.io.IOException;

public final class ImageDecoder implements AutoCloseable {
    public static final int ALLOCATOR_DEFAULT = 0;
    public static final int ALLOCATOR_SOFTWARE = 1;
    public static final int ALLOCATOR_SHARED_MEMORY = 2;
    public static final int ALLOCATOR_HARDWARE = 3;

    private ImageDecoder() {}

    public abstract static class Source {
        private Source() {}
    }

    public static class ImageInfo {
        private ImageInfo() {}

        public Size getSize() {
            throw new UnsupportedOperationException("compile-time stand-in");
        }
    }

    public interface OnHeaderDecodedListener {
        void onHeaderDecoded(ImageDecoder decoder, ImageInfo info, Source source);
    }

    public static Source createSource(ContentResolver cr, Uri uri) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public static Bitmap decodeBitmap(Source src, OnHeaderDecodedListener listener) throws IOException {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public void setTargetSize(int width, int height) {}

    public int getAllocator() {
        return ALLOCATOR_DEFAULT;
    }

    public void setAllocator(int allocator) {}

    @Override
    public void close() {}
}
