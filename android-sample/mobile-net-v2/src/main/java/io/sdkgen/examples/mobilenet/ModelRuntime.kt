package io.sdkgen.examples.mobilenet

import java.io.Closeable
import java.io.File

/**
 * The one seam between this SDK and an inference runtime: load a program file, run its `forward`
 * method on tensors, free it. The public API ([MobileNetV2]) only talks to this interface, so
 * another runtime plugs in by implementing it (and [ModelRuntime.Loader]) without touching the API.
 */
internal interface ModelRuntime : Closeable {
    /**
     * Runs the model once. Blocking; not thread-safe (the caller serializes calls).
     *
     * @param inputs the input tensors, in the model's input order.
     * @return the output tensors' values, in the model's output order.
     * @throws MobileNetV2Exception if the runtime fails.
     */
    fun run(inputs: List<RuntimeTensor>): List<TensorValues>

    /** Loads a program file into a ready-to-run [ModelRuntime]. */
    fun interface Loader {
        /**
         * Loads [file] and prepares its `forward` method (so delegate set-up, and its errors,
         * happen here rather than in the first [run]).
         *
         * @throws MobileNetV2Exception if the program cannot be loaded.
         */
        fun load(file: File, options: MobileNetV2Options): ModelRuntime
    }
}

/** The values of one tensor, row-major, in one of the element types the SDK exchanges. */
internal sealed interface TensorValues {
    /** float32 values. */
    class Floats(val values: FloatArray) : TensorValues

    /** int32 values. */
    class Ints(val values: IntArray) : TensorValues

    /** int64 values. */
    class Longs(val values: LongArray) : TensorValues

    /** The number of values. */
    val size: Int
        get() = when (this) {
            is Floats -> values.size
            is Ints -> values.size
            is Longs -> values.size
        }
}

/** An input tensor for [ModelRuntime.run]: its [values] and [shape]. */
internal class RuntimeTensor(val values: TensorValues, val shape: LongArray)
