// Stand-in for android.graphics.Bitmap, API 36 (AOSP graphics/java/android/graphics/Bitmap.java).
package android.graphics;

public final class Bitmap {
    public enum Config { ALPHA_8, RGB_565, ARGB_4444, ARGB_8888, RGBA_F16, HARDWARE, RGBA_1010102 }

    private Bitmap() {}

    public int getWidth() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public int getHeight() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public Config getConfig() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public Bitmap copy(Config config, boolean isMutable) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public void getPixels(int[] pixels, int offset, int stride, int x, int y, int width, int height) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public void recycle() {}

    public static Bitmap createScaledBitmap(Bitmap src, int dstWidth, int dstHeight, boolean filter) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public static Bitmap createBitmap(int[] colors, int width, int height, Config config) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
