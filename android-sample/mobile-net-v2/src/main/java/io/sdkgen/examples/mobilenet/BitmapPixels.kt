package io.sdkgen.examples.mobilenet

import android.graphics.Bitmap

/** The Android side of image pre-processing: a [Bitmap] at any size to ARGB pixels at the model size. */
internal object BitmapPixels {
    /**
     * Scales [bitmap] to [width] x [height] (stretching, bilinear filtering) and returns its
     * pixels, row by row from the top, packed as non-premultiplied `0xAARRGGBB`.
     *
     * Bitmaps in other configurations (for example hardware bitmaps) are copied to
     * [Bitmap.Config.ARGB_8888] first. [bitmap] itself is neither modified nor recycled.
     */
    fun argbPixels(bitmap: Bitmap, width: Int, height: Int): IntArray {
        val readable = if (bitmap.config == Bitmap.Config.ARGB_8888) {
            bitmap
        } else {
            checkNotNull(bitmap.copy(Bitmap.Config.ARGB_8888, false)) {
                "cannot convert a ${bitmap.config} bitmap to ARGB_8888"
            }
        }
        val scaled = if (readable.width == width && readable.height == height) {
            readable
        } else {
            Bitmap.createScaledBitmap(readable, width, height, true)
        }
        val pixels = IntArray(width * height)
        scaled.getPixels(pixels, 0, width, 0, 0, width, height)
        if (scaled !== readable) {
            scaled.recycle()
        }
        if (readable !== bitmap) {
            readable.recycle()
        }
        return pixels
    }
}
