// Stand-in for android.graphics.Rect, API 36 (developer.android.com/reference/android/graphics/Rect:
// public int left, top, right, bottom; public final int width(), height()).
package android.graphics;

public final class Rect {
    public int left;
    public int top;
    public int right;
    public int bottom;

    public Rect() {}

    public Rect(int left, int top, int right, int bottom) {
        this.left = left;
        this.top = top;
        this.right = right;
        this.bottom = bottom;
    }

    public final int width() {
        return right - left;
    }

    public final int height() {
        return bottom - top;
    }
}
