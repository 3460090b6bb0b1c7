// Stand-in for android.graphics.BitmapFactory, API 36 (AOSP graphics/java/android/graphics/BitmapFactory.java;
// developer.android.com/reference/android/graphics/BitmapFactory: decodeStream(InputStream),
// decodeStream(InputStream, Rect, BitmapFactory.Options); Options fields inJustDecodeBounds,
// inSampleSize, outWidth, outHeight).
package android.graphics;

import java.io.InputStream;

public class BitmapFactory {
    public static class Options {
        public boolean inJustDecodeBounds;
        public int inSampleSize;
        public int outWidth;
        public int outHeight;

        public Options() {}
    }

    public static Bitmap decodeStream(InputStream is) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public static Bitmap decodeStream(InputStream is, Rect outPadding, Options opts) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
