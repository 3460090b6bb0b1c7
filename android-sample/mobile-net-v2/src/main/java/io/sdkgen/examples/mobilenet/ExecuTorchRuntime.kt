package io.sdkgen.examples.mobilenet

import java.io.File
import org.pytorch.executorch.DType
import org.pytorch.executorch.EValue
import org.pytorch.executorch.Module
import org.pytorch.executorch.Tensor

/**
 * [ModelRuntime] on ExecuTorch (`org.pytorch:executorch-android` 1.5.1): every call into the
 * ExecuTorch Java API lives in this file.
 */
internal class ExecuTorchRuntime private constructor(private val module: Module) : ModelRuntime {
    override fun run(inputs: List<RuntimeTensor>): List<TensorValues> {
        val values = inputs.map { EValue.from(tensor(it)) }.toTypedArray()
        val outputs = try {
            module.forward(*values)
        } catch (error: RuntimeException) {
            throw MobileNetV2Exception("running the model failed: ${error.message}", error)
        }
        return outputs.mapIndexed { index, value -> read(value, index) }
    }

    override fun close() {
        module.destroy()
    }

    private fun tensor(input: RuntimeTensor): Tensor = when (val values = input.values) {
        is TensorValues.Floats -> Tensor.fromBlob(values.values, input.shape)
        is TensorValues.Ints -> Tensor.fromBlob(values.values, input.shape)
        is TensorValues.Longs -> Tensor.fromBlob(values.values, input.shape)
    }

    private fun read(value: EValue, index: Int): TensorValues {
        val tensor = try {
            value.toTensor()
        } catch (error: IllegalStateException) {
            throw MobileNetV2Exception("output $index is not a tensor: ${error.message}", error)
        }
        return when (val dtype = tensor.dtype()) {
            DType.FLOAT -> TensorValues.Floats(tensor.dataAsFloatArray)
            DType.INT32 -> TensorValues.Ints(tensor.dataAsIntArray)
            DType.INT64 -> TensorValues.Longs(tensor.dataAsLongArray)
            else -> throw MobileNetV2Exception("output $index has the unsupported element type $dtype")
        }
    }

    /** Loads programs with `Module.load(path, loadMode, numThreads)` and `loadMethod("forward")`. */
    companion object : ModelRuntime.Loader {
        override fun load(file: File, options: MobileNetV2Options): ModelRuntime {
            val loadMode = when (options.loadMode) {
                LoadMode.FILE -> Module.LOAD_MODE_FILE
                LoadMode.MEMORY_MAP -> Module.LOAD_MODE_MMAP
                LoadMode.MEMORY_MAP_LOCKED -> Module.LOAD_MODE_MMAP_USE_MLOCK_IGNORE_ERRORS
            }
            val module = try {
                Module.load(file.absolutePath, loadMode, options.threads)
            } catch (error: RuntimeException) {
                throw MobileNetV2Exception("loading the ExecuTorch program $file failed: ${error.message}", error)
            }
            try {
                module.loadMethod("forward")
            } catch (error: RuntimeException) {
                module.destroy()
                throw MobileNetV2Exception("preparing the forward method of $file failed: ${error.message}", error)
            }
            return ExecuTorchRuntime(module)
        }
    }
}
