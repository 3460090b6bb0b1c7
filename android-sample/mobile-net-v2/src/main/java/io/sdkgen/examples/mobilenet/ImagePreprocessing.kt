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

/** How a photo of any size becomes the model's width x height (the generator's resize contract). */
public enum class ResizeMode {
    /** Resize the whole photo to the model size, ignoring its aspect ratio. */
    STRETCH,

    /**
     * Keep the aspect ratio and crop the centre: the largest centred region of the model's aspect
     * ratio, or, with [ImagePreprocessing.resizeShorter], resize the shorter side first and crop
     * the model size from the centre (torchvision `Resize` + `CenterCrop`).
     */
    CENTER_CROP,

    /** Fit the whole photo inside the model size, keeping its aspect ratio, and pad with the fill colour. */
    LETTERBOX,
}

/**
 * Turns a photo of any size into the model's input tensor: [resize] to [width] x [height], then
 * [normalize].
 *
 * This is plain Kotlin with no Android dependency, so it runs (and is tested) on the JVM, and it
 * reproduces the SDK generator's reference exactly: the resize is integer area averaging (the
 * same bytes as the reference), and for every model-size pixel and model channel `c` the
 * normalisation computes, in `Float` arithmetic,
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
 * @property resizeMode how photos of another size or aspect ratio are brought to the model size.
 * @property resizeShorter for [ResizeMode.CENTER_CROP]: the shorter side's size before the crop,
 *   or `null` to crop the largest centred region directly.
 * @property fill for [ResizeMode.LETTERBOX]: the padding colour, `0xRRGGBB` (drawn opaque).
 */
public class ImagePreprocessing @JvmOverloads constructor(
    public val width: Int,
    public val height: Int,
    public val color: ColorOrder,
    public val layout: TensorLayout,
    public val scale: Float,
    mean: FloatArray,
    std: FloatArray,
    public val resizeMode: ResizeMode = ResizeMode.STRETCH,
    public val resizeShorter: Int? = null,
    public val fill: Int = 0,
) {
    private val mean: FloatArray = mean.copyOf()
    private val std: FloatArray = std.copyOf()

    init {
        require(width > 0 && height > 0) { "image size must be positive, got ${width}x$height" }
        require(mean.size == color.channels && std.size == color.channels) {
            "expected ${color.channels} mean and std values for $color, got ${mean.size} and ${std.size}"
        }
        require(resizeShorter == null || (resizeMode == ResizeMode.CENTER_CROP && resizeShorter >= maxOf(width, height))) {
            "resizeShorter needs ResizeMode.CENTER_CROP and at least ${maxOf(width, height)}, got $resizeShorter"
        }
    }

    /** Number of values in the tensor this produces: `channels * height * width`. */
    public val tensorSize: Int
        get() = color.channels * height * width

    /**
     * Converts a photo of any size to the model input tensor: turns it upright by
     * [rotationDegrees], then [resize], then [normalize].
     *
     * @param argbPixels `imageWidth * imageHeight` pixels, row by row from the top, each packed as
     *   `0xAARRGGBB` and not premultiplied (as `android.graphics.Bitmap.getPixels` returns them).
     * @param imageWidth width of the photo in pixels, 1 to 8192.
     * @param imageHeight height of the photo in pixels, 1 to 8192.
     * @param rotationDegrees clockwise rotation that turns the photo upright: a multiple of 90
     *   (CameraX `ImageInfo.rotationDegrees`, or a photo's EXIF orientation).
     * @return the tensor's values in [layout] order.
     * @throws IllegalArgumentException if the size is out of range or does not match the pixels,
     *   or the rotation is not a multiple of 90.
     */
    @JvmOverloads
    public fun toTensor(argbPixels: IntArray, imageWidth: Int, imageHeight: Int, rotationDegrees: Int = 0): FloatArray {
        checkSize(argbPixels, imageWidth, imageHeight)
        val upright = ImageResize.rotate(argbPixels, imageWidth, imageHeight, rotationDegrees)
        val turned = rotationDegrees.mod(360) % 180 != 0
        return normalize(
            resize(upright, if (turned) imageHeight else imageWidth, if (turned) imageWidth else imageHeight),
        )
    }

    /**
     * Brings a photo of any size to exactly [width] x [height] pixels as [resizeMode] says, with
     * the generator's integer area averaging (identical to its reference, byte for byte).
     *
     * @param argbPixels `imageWidth * imageHeight` pixels, row by row from the top, `0xAARRGGBB`,
     *   not premultiplied.
     * @param imageWidth width of the photo in pixels, 1 to 8192.
     * @param imageHeight height of the photo in pixels, 1 to 8192.
     * @return `width * height` pixels, `0xAARRGGBB`.
     * @throws IllegalArgumentException if the size is out of range or does not match the pixels.
     */
    public fun resize(argbPixels: IntArray, imageWidth: Int, imageHeight: Int): IntArray {
        checkSize(argbPixels, imageWidth, imageHeight)
        return when (resizeMode) {
            ResizeMode.STRETCH -> ImageResize.area(argbPixels, imageWidth, imageHeight, width, height)
            ResizeMode.CENTER_CROP -> centerCrop(argbPixels, imageWidth, imageHeight)
            ResizeMode.LETTERBOX -> letterbox(argbPixels, imageWidth, imageHeight)
        }
    }

    private fun checkSize(argbPixels: IntArray, imageWidth: Int, imageHeight: Int) {
        require(imageWidth in 1..ImageResize.MAX_SIDE && imageHeight in 1..ImageResize.MAX_SIDE) {
            "a photo must be 1 to ${ImageResize.MAX_SIDE} pixels per side, got ${imageWidth}x$imageHeight; decode large photos at a smaller size"
        }
        require(argbPixels.size.toLong() == imageWidth.toLong() * imageHeight) {
            "expected ${imageWidth.toLong() * imageHeight} pixels (${imageWidth}x$imageHeight), got ${argbPixels.size}"
        }
    }

    private fun centerCrop(pixels: IntArray, imageWidth: Int, imageHeight: Int): IntArray {
        val shorter = resizeShorter
        if (shorter != null) {
            val (scaledWidth, scaledHeight) = ImageResize.shorterSide(imageWidth, imageHeight, shorter)
            val scaled = ImageResize.area(pixels, imageWidth, imageHeight, scaledWidth, scaledHeight)
            return ImageResize.crop(scaled, scaledWidth, (scaledWidth - width) / 2, (scaledHeight - height) / 2, width, height)
        }
        val (cropWidth, cropHeight) = ImageResize.aspectCrop(imageWidth, imageHeight, width, height)
        val cropped = ImageResize.crop(
            pixels, imageWidth, (imageWidth - cropWidth) / 2, (imageHeight - cropHeight) / 2, cropWidth, cropHeight,
        )
        return ImageResize.area(cropped, cropWidth, cropHeight, width, height)
    }

    private fun letterbox(pixels: IntArray, imageWidth: Int, imageHeight: Int): IntArray {
        val (fitWidth, fitHeight) = ImageResize.aspectFit(imageWidth, imageHeight, width, height)
        val fitted = ImageResize.area(pixels, imageWidth, imageHeight, fitWidth, fitHeight)
        val canvas = IntArray(width * height) { OPAQUE or (fill and 0xFFFFFF) }
        val left = (width - fitWidth) / 2
        val top = (height - fitHeight) / 2
        for (y in 0 until fitHeight) {
            System.arraycopy(fitted, y * fitWidth, canvas, (top + y) * width + left, fitWidth)
        }
        return canvas
    }

    /**
     * Converts pixels of exactly [width] x [height] to the model input tensor.
     *
     * @param argbPixels `width * height` pixels, row by row from the top, each packed as
     *   `0xAARRGGBB` and not premultiplied (as [resize] returns them).
     * @return the tensor's values in [layout] order.
     * @throws IllegalArgumentException if the number of pixels is not `width * height`.
     */
    public fun normalize(argbPixels: IntArray): FloatArray {
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
        const val OPAQUE: Int = -0x1000000 // 0xFF000000
        const val GRAY_RED: Double = 0.299
        const val GRAY_GREEN: Double = 0.587
        const val GRAY_BLUE: Double = 0.114
    }
}
