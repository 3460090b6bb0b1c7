package io.sdkgen.examples.mobilenet

/**
 * The resize contract of the SDK generator: a photo of any size to pixels at the model size.
 *
 * Plain Kotlin in integer arithmetic, so it reproduces the generator's reference (and the Swift
 * SDK) byte for byte; the golden-vector tests check it from full-size photos. The filter is area
 * averaging: along one axis, a source of `n` pixels resized to `m` gives source pixel `i` the span
 * `[i*m, (i+1)*m)` and output pixel `j` the span `[j*n, (j+1)*n)` (in units of `1/m` source pixel);
 * the weight of `i` in `j` is their overlap. Each output channel (alpha too) is
 * `(2 * sum + total) / (2 * total)` with `sum` the weighted sum over both axes (in `Long`) and
 * `total = sourceWidth * sourceHeight`: the average, rounded half up.
 */
internal object ImageResize {
    /** Largest photo side the contract covers; decode larger photos at a smaller size first. */
    const val MAX_SIDE: Int = 8192

    /**
     * Resizes `0xAARRGGBB` [pixels] of [width] x [height] to [targetWidth] x [targetHeight] by
     * area averaging. Returns a copy when the sizes are equal.
     */
    fun area(pixels: IntArray, width: Int, height: Int, targetWidth: Int, targetHeight: Int): IntArray {
        if (width == targetWidth && height == targetHeight) {
            return pixels.copyOf()
        }
        val columns = Axis(width, targetWidth)
        val rows = Axis(height, targetHeight)
        // row pass: every source row to targetWidth columns; sums of at most 255 * width fit an Int
        val rowSums = IntArray(height * targetWidth * CHANNELS)
        for (y in 0 until height) {
            val rowStart = y * width
            for (x in 0 until targetWidth) {
                val first = columns.first[x]
                val weights = columns.weights[x]
                var alpha = 0
                var red = 0
                var green = 0
                var blue = 0
                for (k in weights.indices) {
                    val pixel = pixels[rowStart + first + k]
                    val weight = weights[k]
                    alpha += weight * (pixel ushr 24)
                    red += weight * ((pixel shr 16) and 0xFF)
                    green += weight * ((pixel shr 8) and 0xFF)
                    blue += weight * (pixel and 0xFF)
                }
                val at = (y * targetWidth + x) * CHANNELS
                rowSums[at] = alpha
                rowSums[at + 1] = red
                rowSums[at + 2] = green
                rowSums[at + 3] = blue
            }
        }
        // column pass: weighted sums of the row sums, in Long
        val total = width.toLong() * height.toLong()
        val result = IntArray(targetWidth * targetHeight)
        val sums = LongArray(CHANNELS)
        for (y in 0 until targetHeight) {
            val first = rows.first[y]
            val weights = rows.weights[y]
            for (x in 0 until targetWidth) {
                sums.fill(0L)
                for (k in weights.indices) {
                    val at = ((first + k) * targetWidth + x) * CHANNELS
                    val weight = weights[k].toLong()
                    for (channel in 0 until CHANNELS) {
                        sums[channel] += weight * rowSums[at + channel]
                    }
                }
                var argb = 0
                for (channel in 0 until CHANNELS) {
                    val value = ((2L * sums[channel] + total) / (2L * total)).toInt()
                    argb = (argb shl 8) or value
                }
                result[y * targetWidth + x] = argb
            }
        }
        return result
    }

    /**
     * Turns `0xAARRGGBB` [pixels] of [width] x [height] clockwise by [degrees] (a multiple of 90);
     * for 90 and 270 the result is [height] pixels wide. Returns [pixels] itself for 0.
     */
    fun rotate(pixels: IntArray, width: Int, height: Int, degrees: Int): IntArray {
        require(degrees % 90 == 0) { "rotationDegrees must be a multiple of 90, got $degrees" }
        val quarterTurns = degrees.mod(360) / 90
        if (quarterTurns == 0) {
            return pixels
        }
        val result = IntArray(pixels.size)
        for (y in 0 until height) {
            for (x in 0 until width) {
                val target = when (quarterTurns) {
                    1 -> x * height + (height - 1 - y) // (x, y) goes to column height-1-y, row x
                    2 -> (height - 1 - y) * width + (width - 1 - x)
                    else -> (width - 1 - x) * height + y // column y, row width-1-x
                }
                result[target] = pixels[y * width + x]
            }
        }
        return result
    }

    /** [width] x [height] pixels of `0xAARRGGBB` [pixels] (row stride [stride]) from [left], [top]. */
    fun crop(pixels: IntArray, stride: Int, left: Int, top: Int, width: Int, height: Int): IntArray {
        val result = IntArray(width * height)
        for (y in 0 until height) {
            System.arraycopy(pixels, (top + y) * stride + left, result, y * width, width)
        }
        return result
    }

    /** Size of the largest centred crop of a [width] x [height] photo with the aspect ratio [targetWidth]:[targetHeight]. */
    fun aspectCrop(width: Int, height: Int, targetWidth: Int, targetHeight: Int): Pair<Int, Int> =
        if (width.toLong() * targetHeight > height.toLong() * targetWidth) {
            roundHalfUp(height.toLong() * targetWidth, targetHeight.toLong()).coerceIn(1, width) to height
        } else {
            width to roundHalfUp(width.toLong() * targetHeight, targetWidth.toLong()).coerceIn(1, height)
        }

    /** Size of a [width] x [height] photo scaled to fit inside [targetWidth] x [targetHeight], keeping its aspect ratio. */
    fun aspectFit(width: Int, height: Int, targetWidth: Int, targetHeight: Int): Pair<Int, Int> =
        if (width.toLong() * targetHeight >= height.toLong() * targetWidth) {
            targetWidth to roundHalfUp(height.toLong() * targetWidth, width.toLong()).coerceIn(1, targetHeight)
        } else {
            roundHalfUp(width.toLong() * targetHeight, height.toLong()).coerceIn(1, targetWidth) to targetHeight
        }

    /** Size of a [width] x [height] photo resized so its shorter side is [shorter] (torchvision `Resize(int)`). */
    fun shorterSide(width: Int, height: Int, shorter: Int): Pair<Int, Int> =
        if (width <= height) {
            shorter to (shorter.toLong() * height / width).toInt()
        } else {
            (shorter.toLong() * width / height).toInt() to shorter
        }

    private fun roundHalfUp(numerator: Long, denominator: Long): Int =
        ((2L * numerator + denominator) / (2L * denominator)).toInt()

    /** The source span and integer weights of every output pixel along one axis. */
    private class Axis(source: Int, target: Int) {
        val first = IntArray(target)
        val weights = Array(target) { j ->
            val low = j.toLong() * source
            val high = (j + 1).toLong() * source
            val start = (low / target).toInt()
            val end = ((high - 1) / target).toInt()
            first[j] = start
            IntArray(end - start + 1) { k ->
                val i = (start + k).toLong()
                (minOf(high, (i + 1) * target) - maxOf(low, i * target)).toInt()
            }
        }
    }

    private const val CHANNELS = 4
}
