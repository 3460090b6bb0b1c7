// Stand-ins for org.pytorch:executorch-android 1.5.1, Kotlin API of
// pytorch/executorch extension/android/executorch_android/src/main/java/org/pytorch/executorch/
// Module.kt (Module.load @JvmStatic @JvmOverloads, forward(vararg EValue): Array<EValue>,
// loadMethod(String): Unit that throws ExecutorchRuntimeException (a RuntimeException) on failure,
// the LOAD_MODE_* constants, destroy, Closeable), Tensor.kt (companion @JvmStatic fromBlob(FloatArray|IntArray|LongArray, LongArray),
// shape(), dtype(), open val dataAs*Array) and DType.kt. Bodies are placeholders: compile only.
package org.pytorch.executorch

import java.io.Closeable

private fun standIn(): Nothing = throw UnsupportedOperationException("compile-time stand-in")

enum class DType { UINT8, INT8, INT16, INT32, INT64, HALF, FLOAT, DOUBLE, BOOL }

open class Module private constructor() : Closeable {
    open fun forward(vararg inputs: EValue): Array<EValue> = standIn()

    open fun execute(methodName: String, vararg inputs: EValue): Array<EValue> = standIn()

    open fun loadMethod(methodName: String): Unit = standIn()

    open fun destroy(): Unit = standIn()

    override fun close() {
        destroy()
    }

    companion object {
        const val LOAD_MODE_FILE = 0
        const val LOAD_MODE_MMAP = 1
        const val LOAD_MODE_MMAP_USE_MLOCK = 2
        const val LOAD_MODE_MMAP_USE_MLOCK_IGNORE_ERRORS = 3

        @JvmStatic
        @JvmOverloads
        fun load(modelPath: String?, loadMode: Int = LOAD_MODE_FILE, numThreads: Int = 0): Module = standIn()
    }
}

abstract class Tensor internal constructor() {
    fun shape(): LongArray = standIn()

    abstract fun dtype(): DType

    open val dataAsIntArray: IntArray
        get() = standIn()

    open val dataAsFloatArray: FloatArray
        get() = standIn()

    open val dataAsLongArray: LongArray
        get() = standIn()

    companion object {
        @JvmStatic
        fun fromBlob(data: IntArray, shape: LongArray): Tensor = standIn()

        @JvmStatic
        fun fromBlob(data: FloatArray, shape: LongArray): Tensor = standIn()

        @JvmStatic
        fun fromBlob(data: LongArray, shape: LongArray): Tensor = standIn()
    }
}
