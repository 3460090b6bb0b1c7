package io.sdkgen.examples.mobilenet

import android.graphics.Bitmap

/** The Android side of image pre-processing: a [Bitmap] to its ARGB pixels, at its own size. */
internal object BitmapPixels {
    /**
     * Returns all pixels of [bitmap], row by row from the top, packed as non-premultiplied
     * `0xAARRGGBB` (`bitmap.width * bitmap.height` values). The resize to the model size is the
     * pure Kotlin [ImagePreprocessing.resize], identical to the generator's reference.
     *
     * Bitmaps in other configurations (for example hardware bitmaps) are copied to
     * [Bitmap.Config.ARGB_8888] first. [bitmap] itself is neither modified nor recycled.
     */
    fun argbPixels(bitmap: Bitmap): IntArray {
        val readable = if (bitmap.config == Bitmap.Config.ARGB_8888) {
            bitmap
        } else {
            checkNotNull(bitmap.copy(Bitmap.Config.ARGB_8888, false)) {
                "cannot convert a ${bitmap.config} bitmap to ARGB_8888"
            }
        }
        val width = readable.width
        val height = readable.height
        val pixels = IntArray(width * height)
        readable.getPixels(pixels, 0, width, 0, 0, width, height)
        if (readable !== bitmap) {
            readable.recycle()
        }
        return pixels
    }
}
