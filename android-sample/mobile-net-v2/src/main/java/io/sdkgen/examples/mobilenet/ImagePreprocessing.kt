package io.sdkgen.examples.mobilenet

/** Order of the colour channels the model expects. */
public enum class ColorOrder(
    /** Number of model channels per pixel. */
    public val channels: Int,
) {
    /** Red, green, blue. */
    RGB(3),

    /** Blue, green, red. */
    BGR(3),

    /** One luma channel: `0.299 * R + 0.587 * G + 0.114 * B`. */
    GRAYSCALE(1),
}

/** Memory layout of an image tensor with batch size 1. */
public enum class TensorLayout {
    /** Channel planes: `[1, channels, height, width]`. */
    NCHW,

    /** Interleaved channels: `[1, height, width, channels]`. */
    NHWC,
}

/**
 * Turns pixels of exactly [width] x [height] into the model's input tensor.
 *
 * This is plain Kotlin with no Android dependency, so it runs (and is tested) on the JVM. For
 * every pixel and model channel `c` it computes, in `Float` arithmetic,
 * `(channel * scale - mean[c]) / std[c]`, where the channel value is taken from the pixel's
 * red, green and blue components in [color] order (alpha is ignored). For [ColorOrder.GRAYSCALE]
 * the channel is `0.299 * R + 0.587 * G + 0.114 * B`, summed left to right in `Double` and then
 * rounded to `Float`. This mirrors the reference implementation of the SDK generator exactly.
 *
 * @property width image width the model expects, in pixels.
 * @property height image height the model expects, in pixels.
 * @property color channel order of the model input.
 * @property layout memory layout of the model input.
 * @property scale factor applied to each 0-255 channel value first.
 * @property mean value subtracted per model channel after scaling.
 * @property std divisor per model channel, applied last.
 */
public class ImagePreprocessing(
    public val width: Int,
    public val height: Int,
    public val color: ColorOrder,
    public val layout: TensorLayout,
    public val scale: Float,
    mean: FloatArray,
    std: FloatArray,
) {
    private val mean: FloatArray = mean.copyOf()
    private val std: FloatArray = std.copyOf()

    init {
        require(width > 0 && height > 0) { "image size must be positive, got ${width}x$height" }
        require(mean.size == color.channels && std.size == color.channels) {
            "expected ${color.channels} mean and std values for $color, got ${mean.size} and ${std.size}"
        }
    }

    /** Number of values in the tensor this produces: `channels * height * width`. */
    public val tensorSize: Int
        get() = color.channels * height * width

    /**
     * Converts pixels to the model input tensor.
     *
     * @param argbPixels `width * height` pixels, row by row from the top, each packed as
     *   `0xAARRGGBB` and not premultiplied (as `android.graphics.Bitmap.getPixels` returns them).
     * @return the tensor's values in [layout] order.
     * @throws IllegalArgumentException if the number of pixels is not `width * height`.
     */
    public fun toTensor(argbPixels: IntArray): FloatArray {
        val pixelCount = width * height
        require(argbPixels.size == pixelCount) {
            "expected $pixelCount pixels (${width}x$height), got ${argbPixels.size}"
        }
        val channels = color.channels
        val tensor = FloatArray(channels * pixelCount)
        for (pixel in 0 until pixelCount) {
            val argb = argbPixels[pixel]
            val red = (argb shr 16) and 0xFF
            val green = (argb shr 8) and 0xFF
            val blue = argb and 0xFF
            for (channel in 0 until channels) {
                val raw = when (color) {
                    ColorOrder.RGB -> component(channel, red, green, blue)
                    ColorOrder.BGR -> component(channel, blue, green, red)
                    ColorOrder.GRAYSCALE -> luma(red, green, blue)
                }
                val index = when (layout) {
                    TensorLayout.NCHW -> channel * pixelCount + pixel
                    TensorLayout.NHWC -> pixel * channels + channel
                }
                tensor[index] = (raw * scale - mean[channel]) / std[channel]
            }
        }
        return tensor
    }

    private fun component(channel: Int, first: Int, second: Int, third: Int): Float =
        when (channel) {
            0 -> first
            1 -> second
            else -> third
        }.toFloat()

    private fun luma(red: Int, green: Int, blue: Int): Float =
        (red * GRAY_RED + green * GRAY_GREEN + blue * GRAY_BLUE).toFloat()

    private companion object {
        const val GRAY_RED: Double = 0.299
        const val GRAY_GREEN: Double = 0.587
        const val GRAY_BLUE: Double = 0.114
    }
}
