package io.sdkgen.examples.mobilenet

import android.content.Context
import android.graphics.Bitmap
import java.io.Closeable
import java.io.IOException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * MobileNet V2: Classifies photos into the 1000 ImageNet-1k classes (MobileNetV2, 71.9% top-1).
 *
 * Runs the bundled ExecuTorch program (XNNPACK) with `org.pytorch:executorch-android` 1.5.1.
 * Create an instance with [create], reuse it for many calls and [close] it when done to free the
 * native memory right away.
 *
 * Threading: the `suspend` functions are main-safe: they move their work to a background
 * dispatcher themselves, so call them from any coroutine, including the main thread's. Each has a
 * blocking twin (`…Blocking`) for Java and for threads you own (a CameraX analyzer, for
 * example); never call those on the main thread. An instance may be shared between threads and
 * coroutines: inferences on it run one at a time. For a stream of frames, keep the latest only,
 * for example `frames.conflate().map { model.classify(it) }`. Calling any method after [close]
 * throws [IllegalStateException].
 */
public class MobileNetV2 private constructor(private val runtime: ModelRuntime) : Closeable {
    private val lock = Any()
    private var closed = false

    /**
     * Classifies [bitmap]: turns it upright by [rotationDegrees], brings it to the model's
     * 224x224 pixels, runs the model and returns the [topK] most probable classes, most
     * probable first. Main-safe.
     *
     * @param bitmap the image, at any size up to 8192 pixels per side; it is neither modified nor
     *   recycled.
     * @param rotationDegrees clockwise rotation that turns [bitmap] upright: 0, 90, 180 or 270.
     * @param topK how many classes to return.
     * @throws IllegalArgumentException if the bitmap is too large or the rotation is not a
     *   multiple of 90.
     * @throws IllegalStateException if this instance is closed.
     * @throws MobileNetV2Exception if the runtime fails.
     */
    @Throws(MobileNetV2Exception::class)
    public suspend fun classify(
        bitmap: Bitmap,
        rotationDegrees: Int = 0,
        topK: Int = MobileNetV2Spec.LOGITS_TOP_K,
    ): List<Classification> = withContext(Dispatchers.Default) {
        classifyBlocking(bitmap, rotationDegrees, topK)
    }

    /**
     * Blocking twin of [classify]: classifies [bitmap] on the calling thread. Never call it on the
     * main thread.
     *
     * @param bitmap the image, at any size up to 8192 pixels per side; it is neither modified nor
     *   recycled.
     * @param rotationDegrees clockwise rotation that turns [bitmap] upright: 0, 90, 180 or 270.
     * @param topK how many classes to return.
     * @throws IllegalArgumentException if the bitmap is too large or the rotation is not a
     *   multiple of 90.
     * @throws IllegalStateException if this instance is closed.
     * @throws MobileNetV2Exception if the runtime fails.
     */
    @JvmOverloads
    @Throws(MobileNetV2Exception::class)
    public fun classifyBlocking(
        bitmap: Bitmap,
        rotationDegrees: Int = 0,
        topK: Int = MobileNetV2Spec.LOGITS_TOP_K,
    ): List<Classification> {
        val tensor = preprocessImage(bitmap, rotationDegrees)
        return MobileNetV2Spec.decodeLogits(this.predictBlocking(tensor).logits, topK)
    }

    /**
     * Turns [bitmap] into the `image` input tensor: turns it upright by
     * [rotationDegrees], brings it to 224x224 pixels (centre-cropped,
     * area averaging) and applies [MobileNetV2Spec.imagePreprocessing].
     *
     * Pure computation (no model call); blocking for a few milliseconds on large bitmaps.
     *
     * @param bitmap the image, at any size up to 8192 pixels per side; it is neither modified nor
     *   recycled.
     * @param rotationDegrees clockwise rotation that turns [bitmap] upright: 0, 90, 180 or 270
     *   (CameraX `ImageInfo.rotationDegrees`, or the EXIF orientation of a photo).
     * @return the tensor's values, ready for [predict].
     * @throws IllegalArgumentException if the bitmap is larger than 8192 pixels on a side or the
     *   rotation is not a multiple of 90.
     */
    @JvmOverloads
    public fun preprocessImage(bitmap: Bitmap, rotationDegrees: Int = 0): FloatArray =
        MobileNetV2Spec.imagePreprocessing.toTensor(
            BitmapPixels.argbPixels(bitmap),
            bitmap.width,
            bitmap.height,
            rotationDegrees,
        )

    /**
     * Runs the model on raw input tensors and returns its raw output tensors. Main-safe.
     *
     * Each array holds a tensor's values in row-major order.
     *
     * @param image the `image` tensor, shape `[1, 3, 224, 224]`, float32.
     * @throws IllegalArgumentException if an array does not have the size of its tensor.
     * @throws IllegalStateException if this instance is closed.
     * @throws MobileNetV2Exception if the runtime fails.
     */
    @Throws(MobileNetV2Exception::class)
    public suspend fun predict(
        image: FloatArray,
    ): MobileNetV2Outputs = withContext(Dispatchers.Default) {
        predictBlocking(image)
    }

    /**
     * Blocking twin of [predict]: runs the model on the calling thread. Never call it on the main
     * thread.
     *
     * @param image the `image` tensor, shape `[1, 3, 224, 224]`, float32.
     * @throws IllegalArgumentException if an array does not have the size of its tensor.
     * @throws IllegalStateException if this instance is closed.
     * @throws MobileNetV2Exception if the runtime fails.
     */
    @Throws(MobileNetV2Exception::class)
    public fun predictBlocking(
        image: FloatArray,
    ): MobileNetV2Outputs = this.execute(
        listOf(
            inputTensor(TensorValues.Floats(image), MobileNetV2Spec.imageShape, "image"),
        ),
    )

    /** Releases the native model. Further calls on this instance throw [IllegalStateException]. */
    override fun close() {
        synchronized(lock) {
            if (!closed) {
                closed = true
                runtime.close()
            }
        }
    }

    private fun execute(inputs: List<RuntimeTensor>): MobileNetV2Outputs {
        val outputs = synchronized(lock) {
            check(!closed) { "this MobileNetV2 is closed" }
            runtime.run(inputs)
        }
        if (outputs.size != 1) {
            throw MobileNetV2Exception("the model returned ${outputs.size} outputs, expected 1")
        }
        return MobileNetV2Outputs(
            outputFloats(outputs[0], "logits", MobileNetV2Spec.logitsShape),
        )
    }

    private fun outputFloats(value: TensorValues, name: String, shape: List<Long>): FloatArray {
        val values = (value as? TensorValues.Floats)?.values
            ?: throw MobileNetV2Exception("the $name output is not a float32 tensor")
        val size = elementCount(shape)
        if (values.size.toLong() != size) {
            throw MobileNetV2Exception("the $name output has ${values.size} values, expected $size for shape $shape")
        }
        return values
    }

    /** Creates instances; see [create]. */
    public companion object {
        private const val MODEL_DIRECTORY = "sdkgen/mobile-net-v2"

        /**
         * Loads the model bundled with this SDK. Main-safe.
         *
         * The first call after installing or updating the app copies the model asset to internal
         * storage, because the runtime loads programs from a file; later calls reuse the copy.
         * The model's `forward` method is prepared here, so the first inference is not slower
         * than the others and runtime set-up errors surface here.
         *
         * @param context any context; only its application context is used.
         * @param options threads and load mode; see [MobileNetV2Options].
         * @throws MobileNetV2Exception if the model cannot be copied or loaded.
         */
        @Throws(MobileNetV2Exception::class)
        public suspend fun create(context: Context, options: MobileNetV2Options = MobileNetV2Options()): MobileNetV2 =
            withContext(Dispatchers.IO) { createBlocking(context, options) }

        /**
         * Blocking twin of [create]: loads the model on the calling thread. Never call it on the
         * main thread.
         *
         * @param context any context; only its application context is used.
         * @param options threads and load mode; see [MobileNetV2Options].
         * @throws MobileNetV2Exception if the model cannot be copied or loaded.
         */
        @JvmStatic
        @JvmOverloads
        @Throws(MobileNetV2Exception::class)
        public fun createBlocking(context: Context, options: MobileNetV2Options = MobileNetV2Options()): MobileNetV2 =
            createBlocking(context, options, ExecuTorchRuntime)

        internal fun createBlocking(context: Context, options: MobileNetV2Options, loader: ModelRuntime.Loader): MobileNetV2 {
            val asset = MobileNetV2Spec.MODEL_ASSET
            val file = try {
                ModelFiles.install(context.applicationContext, asset, MODEL_DIRECTORY)
            } catch (error: IOException) {
                throw MobileNetV2Exception(
                    "copying the model asset $asset to internal storage failed: ${error.message}",
                    error,
                )
            }
            return MobileNetV2(loader.load(file, options))
        }
    }
}

/** The number of values of a tensor of [shape]. */
private fun elementCount(shape: List<Long>): Long = shape.fold(1L) { product, dimension -> product * dimension }

private fun inputTensor(values: TensorValues, shape: List<Long>, name: String): RuntimeTensor {
    val size = elementCount(shape)
    require(values.size.toLong() == size) {
        "the $name tensor of shape $shape needs $size values, got ${values.size}"
    }
    return RuntimeTensor(values, shape.toLongArray())
}

/**
 * The raw output tensors of one [MobileNetV2.predict] call, each in row-major order.
 *
 * @property logits the `logits` tensor, shape `[1, 1000]`, float32.
 */
public class MobileNetV2Outputs internal constructor(
    public val logits: FloatArray,
)
