package io.sdkgen.examples.mobilenet

import android.content.Context
import android.graphics.Bitmap
import java.io.Closeable
import java.io.IOException
import org.pytorch.executorch.EValue
import org.pytorch.executorch.Module
import org.pytorch.executorch.Tensor

/**
 * MobileNet V2: Classifies photos into the 1000 ImageNet-1k classes (MobileNetV2, 71.9% top-1).
 *
 * Runs the bundled ExecuTorch program (XNNPACK) with `org.pytorch:executorch-android` 1.5.1.
 * Create an instance with [create], reuse it for many calls and [close] it when done to free the
 * native memory right away.
 *
 * Threading: [create] and every inference method block while they work (tens of milliseconds or
 * more), so call them from a background thread such as `Dispatchers.Default`, never from the
 * main thread. An instance may be shared between threads: calls are serialized on it. Calling
 * any method after [close] throws [IllegalStateException].
 */
public class MobileNetV2 private constructor(private val module: Module) : Closeable {
    private val lock = Any()
    private var closed = false

    /**
     * Classifies [bitmap]: scales it to the model's 224x224 pixels, runs the model
     * and returns the [topK] most probable classes, most probable first.
     *
     * Blocking; call it off the main thread.
     *
     * @param bitmap the image, at any size; it is neither modified nor recycled.
     * @param topK how many classes to return.
     * @throws IllegalStateException if this instance is closed.
     * @throws MobileNetV2Exception if the runtime fails.
     */
    public fun classify(
        bitmap: Bitmap,
        topK: Int = MobileNetV2Spec.LOGITS_TOP_K,
    ): List<Classification> =
        MobileNetV2Spec.decodeLogits(this.run(this.preprocessImage(bitmap)).logits, topK)

    /**
     * Turns [bitmap] into the `image` input tensor: scales it to 224x224 pixels
     * (bilinear) and applies [MobileNetV2Spec.imagePreprocessing].
     *
     * @param bitmap the image, at any size; it is neither modified nor recycled.
     * @return the tensor's values, ready for [run].
     */
    public fun preprocessImage(bitmap: Bitmap): FloatArray {
        val preprocessing = MobileNetV2Spec.imagePreprocessing
        return preprocessing.toTensor(
            BitmapPixels.argbPixels(bitmap, preprocessing.width, preprocessing.height),
        )
    }

    /**
     * Runs the model on raw input tensors and returns its raw output tensors.
     *
     * Blocking; call it off the main thread. Each array holds a tensor's values in row-major
     * order.
     *
     * @param image the `image` tensor, shape `[1, 3, 224, 224]`, float32.
     * @throws IllegalArgumentException if an array does not have the size of its tensor.
     * @throws IllegalStateException if this instance is closed.
     * @throws MobileNetV2Exception if the runtime fails.
     */
    public fun run(
        image: FloatArray,
    ): MobileNetV2Outputs = this.execute(
        this.inputTensor(image, MobileNetV2Spec.imageShape, "image"),
    )

    /** Releases the native model. Further calls on this instance throw [IllegalStateException]. */
    override fun close() {
        synchronized(lock) {
            if (!closed) {
                closed = true
                module.destroy()
            }
        }
    }

    private fun execute(vararg inputs: EValue): MobileNetV2Outputs {
        val outputs = synchronized(lock) {
            check(!closed) { "this MobileNetV2 is closed" }
            try {
                module.forward(*inputs)
            } catch (error: RuntimeException) {
                throw MobileNetV2Exception("running the model failed: ${error.message}", error)
            }
        }
        if (outputs.size != 1) {
            throw MobileNetV2Exception("the model returned ${outputs.size} outputs, expected 1")
        }
        return MobileNetV2Outputs(
            floatOutput(outputs[0], "logits", MobileNetV2Spec.logitsShape),
        )
    }

    private fun inputTensor(values: FloatArray, shape: List<Long>, name: String): EValue {
        val size = elementCount(shape)
        require(values.size.toLong() == size) {
            "the $name tensor of shape $shape needs $size values, got ${values.size}"
        }
        return EValue.from(Tensor.fromBlob(values, shape.toLongArray()))
    }

    private fun floatOutput(value: EValue, name: String, shape: List<Long>): FloatArray {
        val values = try {
            value.toTensor().dataAsFloatArray
        } catch (error: IllegalStateException) {
            throw MobileNetV2Exception("the $name output is not a float32 tensor: ${error.message}", error)
        }
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
         * Loads the model bundled with this SDK.
         *
         * The first call after installing or updating the app copies the model asset to internal
         * storage, because the runtime loads programs from a file; later calls reuse the copy.
         * Blocking; call it off the main thread.
         *
         * @param context any context; only its application context is kept.
         * @throws MobileNetV2Exception if the model cannot be copied or loaded.
         */
        @JvmStatic
        public fun create(context: Context): MobileNetV2 {
            val asset = MobileNetV2Spec.MODEL_ASSET
            val file = try {
                ModelFiles.install(context.applicationContext, asset, MODEL_DIRECTORY)
            } catch (error: IOException) {
                throw MobileNetV2Exception(
                    "copying the model asset $asset to internal storage failed: ${error.message}",
                    error,
                )
            }
            val module = try {
                Module.load(file.absolutePath)
            } catch (error: RuntimeException) {
                throw MobileNetV2Exception("loading the ExecuTorch program $file failed: ${error.message}", error)
            }
            return MobileNetV2(module)
        }
    }
}

/** The number of values of a tensor of [shape]. */
private fun elementCount(shape: List<Long>): Long = shape.fold(1L) { product, dimension -> product * dimension }

/**
 * The raw output tensors of one [MobileNetV2.run] call, each in row-major order.
 *
 * @property logits the `logits` tensor, shape `[1, 1000]`, float32.
 */
public class MobileNetV2Outputs internal constructor(
    public val logits: FloatArray,
)
