// Stand-ins for com.google.ai.edge.litert:litert 2.3.0, the Kotlin API of google-ai-edge/LiteRT
// litert/kotlin/src/main/kotlin/com/google/ai/edge/litert/:
// - Common.kt (commit 4312fd65): enum Accelerator(val value: Int) { NONE, CPU, GPU, NPU };
//   abstract class JniHandle : AutoCloseable with `final override fun close()`.
// - Model.kt (commits 070f50f5 and b057fa3c, the same for what is mirrored here): class Model with
//   companion `@JvmStatic load(AssetManager, String)` / `load(String)`; class CompiledModel with
//   `data class CpuOptions(numThreads: Int? = null, xnnPackFlags: Int? = null,
//   xnnPackWeightCachePath: String? = null)`, `class Options(vararg accelerators: Accelerator)`
//   with `var cpuOptions: CpuOptions?` and companion `@JvmStatic val CPU`,
//   `@JvmOverloads createInputBuffers(signatureIndex: Int = 0): List<TensorBuffer>`,
//   `createOutputBuffers(...)`, `@JvmOverloads run(inputs, outputs, signatureIndex: Int = 0)`,
//   `@JvmOverloads run(inputs, signatureIndex: Int = 0): List<TensorBuffer>`, and the companion's
//   `@JvmOverloads @JvmStatic create(Model | AssetManager, String | String, options: Options =
//   Options.CPU, optionalEnv: Environment? = null)`; every method `@Throws(LiteRtException::class)`.
// - TensorBuffer.kt (commit 0b7af5ac): write/read of Int, Float, Int8, Boolean arrays.
// - LiteRtException.kt (commit 173ea62e): class LiteRtException(status: Status, message: String)
//   : Exception(message); Environment.kt: class Environment : JniHandle, companion create().
// Only what the generated wrapper uses (and the overloads its calls resolve against) is mirrored;
// the native handles are left out and the bodies are placeholders: compile only.
package com.google.ai.edge.litert

import android.content.res.AssetManager

private fun standIn(): Nothing = throw UnsupportedOperationException("compile-time stand-in")

enum class Accelerator private constructor(val value: Int) {
    NONE(0),
    CPU(1),
    GPU(2),
    NPU(3),
}

abstract class JniHandle internal constructor() : AutoCloseable {
    protected abstract fun destroy()

    final override fun close() {
        destroy()
    }
}

enum class Status(val code: Int) {
    Ok(0),
    ErrorInvalidArgument(1),
    ErrorRuntimeFailure(3),
    ErrorUnsupported(5),
    ErrorNotFound(6),
    ErrorFileIO(500),
    ErrorInvalidFlatbuffer(501),
    ErrorCompilation(504),
}

class LiteRtException(private val status: Status, message: String) : Exception(message)

class Environment private constructor() : JniHandle() {
    protected override fun destroy(): Unit = standIn()

    companion object {
        @Throws(LiteRtException::class)
        @JvmStatic
        fun create(): Environment = standIn()
    }
}

class TensorBuffer internal constructor() : JniHandle() {
    @Throws(LiteRtException::class)
    fun writeInt(data: IntArray): Unit = standIn()

    @Throws(LiteRtException::class)
    fun writeFloat(data: FloatArray): Unit = standIn()

    @Throws(LiteRtException::class)
    fun writeInt8(data: ByteArray): Unit = standIn()

    @Throws(LiteRtException::class)
    fun writeBoolean(data: BooleanArray): Unit = standIn()

    @Throws(LiteRtException::class)
    fun readInt(): IntArray = standIn()

    @Throws(LiteRtException::class)
    fun readFloat(): FloatArray = standIn()

    @Throws(LiteRtException::class)
    fun readInt8(): ByteArray = standIn()

    @Throws(LiteRtException::class)
    fun readBoolean(): BooleanArray = standIn()

    protected override fun destroy(): Unit = standIn()
}

class Model private constructor() : JniHandle() {
    protected override fun destroy(): Unit = standIn()

    companion object {
        @Throws(LiteRtException::class)
        @JvmStatic
        fun load(assetManager: AssetManager, assetName: String): Model = standIn()

        @Throws(LiteRtException::class)
        @JvmStatic
        fun load(filePath: String): Model = standIn()
    }
}

class CompiledModel private constructor() : JniHandle() {
    data class CpuOptions(
        val numThreads: Int? = null,
        val xnnPackFlags: Int? = null,
        val xnnPackWeightCachePath: String? = null,
    )

    class Options(internal vararg val accelerators: Accelerator) {
        var cpuOptions: CpuOptions? = null

        companion object {
            @JvmStatic val CPU = Options(Accelerator.CPU)
        }
    }

    @Throws(LiteRtException::class)
    @JvmOverloads
    fun createInputBuffers(signatureIndex: Int = 0): List<TensorBuffer> = standIn()

    @Throws(LiteRtException::class)
    @JvmOverloads
    fun createOutputBuffers(signatureIndex: Int = 0): List<TensorBuffer> = standIn()

    @Throws(LiteRtException::class)
    @JvmOverloads
    fun run(inputs: List<TensorBuffer>, signatureIndex: Int = 0): List<TensorBuffer> = standIn()

    @Throws(LiteRtException::class)
    @JvmOverloads
    fun run(inputs: List<TensorBuffer>, outputs: List<TensorBuffer>, signatureIndex: Int = 0): Unit = standIn()

    protected override fun destroy(): Unit = standIn()

    companion object {
        @Throws(LiteRtException::class)
        @JvmOverloads
        @JvmStatic
        fun create(model: Model, options: Options = Options.CPU, optionalEnv: Environment? = null): CompiledModel =
            standIn()

        @Throws(LiteRtException::class)
        @JvmOverloads
        @JvmStatic
        fun create(
            assetManager: AssetManager,
            assetName: String,
            options: Options = Options.CPU,
            optionalEnv: Environment? = null,
        ): CompiledModel = standIn()

        @Throws(LiteRtException::class)
        @JvmOverloads
        @JvmStatic
        fun create(filePath: String, options: Options = Options.CPU, optionalEnv: Environment? = null): CompiledModel =
            standIn()
    }
}
