// Stand-in for android.graphics.BitmapFactory, API 36 (AOSP graphics/java/android/graphics/BitmapFactory.java).
package android.graphics;

import java.io.InputStream;

public class BitmapFactory {
    public static Bitmap decodeStream(InputStream is) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
