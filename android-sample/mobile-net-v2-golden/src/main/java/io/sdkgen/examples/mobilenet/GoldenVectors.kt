package io.sdkgen.examples.mobilenet

import java.nio.ByteBuffer
import java.nio.ByteOrder
import kotlin.math.abs

/**
 * The golden vectors of this SDK (format `sdkgen-golden`, version 2): a JSON manifest plus raw
 * little-endian tensors, computed by the SDK generator's reference implementation.
 *
 * Its own Gradle module (a plain Kotlin/JVM library), shared by the JVM unit tests and the
 * instrumented tests of the SDK, which differ only in how they [open] a file of the golden folder:
 * one module that both test source sets depend on, so Android Studio sees each file in exactly
 * one content root.
 */
public class GoldenVectors(private val open: (String) -> ByteArray) {
    private val manifest: Map<String, Any?> =
        Json.parse(String(open("manifest.json"), Charsets.UTF_8)).asObject("manifest")

    init {
        check(manifest["format"] == "sdkgen-golden") { "not an sdkgen golden manifest" }
        check(manifest.number("format_version").toInt() == 2) { "unsupported golden format version" }
    }

    /** The model's display name, as written in the manifest. */
    public val model: String = manifest["model"] as String

    private val tolerance = manifest["tolerance"].asObject("tolerance")

    /** Largest allowed difference between a pre-processed tensor and its golden tensor. */
    public val tensorAtol: Double = tolerance.number("tensor_atol")

    /** Largest allowed difference between a decoded probability and its golden value. */
    public val probabilityAtol: Double = tolerance.number("probability_atol")

    /** Largest allowed difference between an on-device model output and its golden tensor. */
    public val modelAtol: Double = tolerance.number("model_atol")

    /** The cases, in manifest order. */
    public val cases: List<GoldenCase> = manifest["cases"].asArray("cases").map { GoldenCase(it.asObject("case")) }

    /** The shape of the input or output tensor named [feature]. */
    public fun shape(feature: String): List<Long> = feature(feature)["shape"].asArray("shape").map { (it as Double).toLong() }

    /** The labels of the classification output named [feature]. */
    public fun labels(feature: String): List<String> =
        feature(feature)["classification"].asObject("classification")["labels"].asArray("labels").map { it as String }

    /** A float32 tensor file. */
    public fun floats(file: String): FloatArray {
        val buffer = littleEndian(file)
        return FloatArray(buffer.remaining() / Float.SIZE_BYTES) { buffer.getFloat() }
    }

    /** An int32 tensor file. */
    public fun ints(file: String): IntArray {
        val buffer = littleEndian(file)
        return IntArray(buffer.remaining() / Int.SIZE_BYTES) { buffer.getInt() }
    }

    /** An int64 tensor file. */
    public fun longs(file: String): LongArray {
        val buffer = littleEndian(file)
        return LongArray(buffer.remaining() / Long.SIZE_BYTES) { buffer.getLong() }
    }

    /** An RGBA8 image file, as `0xAARRGGBB` pixels like `Bitmap.getPixels` returns them. */
    public fun argbPixels(file: String): IntArray {
        val bytes = open(file)
        return IntArray(bytes.size / 4) { pixel ->
            val red = bytes[4 * pixel].toInt() and 0xFF
            val green = bytes[4 * pixel + 1].toInt() and 0xFF
            val blue = bytes[4 * pixel + 2].toInt() and 0xFF
            val alpha = bytes[4 * pixel + 3].toInt() and 0xFF
            (alpha shl 24) or (red shl 16) or (green shl 8) or blue
        }
    }

    private fun littleEndian(file: String): ByteBuffer = ByteBuffer.wrap(open(file)).order(ByteOrder.LITTLE_ENDIAN)

    private fun feature(feature: String): Map<String, Any?> =
        (manifest["inputs"].asArray("inputs") + manifest["outputs"].asArray("outputs"))
            .map { it.asObject("feature") }
            .single { it["feature_name"] == feature }
}

/**
 * Fails unless every value of [actual] is within [tolerance] of [expected]; the message names
 * [what] (the case and the tensor), the element that differs most and by how much.
 */
public fun assertWithinTolerance(what: String, expected: FloatArray, actual: FloatArray, tolerance: Float) {
    if (expected.size != actual.size) {
        throw AssertionError("$what: ${actual.size} values, expected ${expected.size}")
    }
    var worst = -1
    var worstDifference = 0f
    for (index in expected.indices) {
        val difference = abs(expected[index] - actual[index])
        if (difference.isNaN() || difference > worstDifference) {
            worst = index
            worstDifference = difference
            if (difference.isNaN()) break
        }
    }
    if (worst >= 0 && !(worstDifference <= tolerance)) {
        throw AssertionError(
            "$what: element $worst differs by $worstDifference " +
                "(expected ${expected[worst]}, got ${actual[worst]}; tolerance $tolerance)",
        )
    }
}

/** Fails unless [actual] is within [tolerance] of [expected], naming [what] and the difference. */
public fun assertWithinTolerance(what: String, expected: Float, actual: Float, tolerance: Float) {
    val difference = abs(expected - actual)
    if (!(difference <= tolerance)) {
        throw AssertionError("$what differs by $difference (expected $expected, got $actual; tolerance $tolerance)")
    }
}

/** One decoded class of a golden case. */
public class GoldenClassification(
    /** Position of the class in the model output. */
    public val index: Int,
    /** The class label. */
    public val label: String,
    /** The class probability. */
    public val probability: Float,
)

/** One golden case: file names of its inputs and outputs, and the decoded classifications. */
public class GoldenCase internal constructor(private val case: Map<String, Any?>) {
    /** The case name, e.g. `case_0`. */
    public val name: String = case["name"] as String

    /** File of the raw input of [feature]: RGBA8 pixels for images, the tensor otherwise. */
    public fun rawInput(feature: String): String = entry("inputs", feature)["raw"] as String

    /** Width and height of the raw photo of the image input [feature]. */
    public fun rawSize(feature: String): Pair<Int, Int> {
        val entry = entry("inputs", feature)
        return entry.number("width").toInt() to entry.number("height").toInt()
    }

    /** File of the pre-processed input tensor of [feature]. */
    public fun inputTensor(feature: String): String = entry("inputs", feature)["tensor"] as String

    /** File of the golden output tensor of [feature]. */
    public fun outputTensor(feature: String): String = entry("outputs", feature)["tensor"] as String

    /** The golden top-k of the classification output [feature]. */
    public fun decoded(feature: String): List<GoldenClassification> =
        entry("outputs", feature)["decoded"].asArray("decoded").map {
            val item = it.asObject("decoded")
            GoldenClassification(
                item.number("index").toInt(),
                item["label"] as String,
                item.number("probability").toFloat(),
            )
        }

    private fun entry(group: String, feature: String): Map<String, Any?> =
        case[group].asObject(group)[feature].asObject("$group.$feature")
}

private fun Any?.asObject(what: String): Map<String, Any?> {
    check(this is Map<*, *>) { "$what is not a JSON object" }
    return this.entries.associate { (key, value) -> key as String to value }
}

private fun Any?.asArray(what: String): List<Any?> {
    check(this is List<*>) { "$what is not a JSON array" }
    return this
}

private fun Map<String, Any?>.number(key: String): Double =
    checkNotNull(this[key] as? Double) { "$key is not a JSON number" }

/**
 * A small, strict JSON reader (RFC 8259) for the golden manifest: objects become maps, arrays
 * lists, numbers [Double], strings [String] (all escapes, including UTF-16 surrogate pairs).
 */
internal object Json {
    /** Parses one JSON document; throws [IllegalArgumentException] on malformed input. */
    fun parse(text: String): Any? = Parser(text).document()

    private class Parser(private val text: String) {
        private var position = 0

        fun document(): Any? {
            val value = value()
            skipWhitespace()
            require(position == text.length) { "unexpected text at offset $position" }
            return value
        }

        private fun value(): Any? {
            skipWhitespace()
            require(position < text.length) { "unexpected end of JSON" }
            return when (val next = text[position]) {
                '{' -> jsonObject()
                '[' -> jsonArray()
                '"' -> string()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> {
                    require(next == '-' || next in '0'..'9') { "unexpected '$next' at offset $position" }
                    number()
                }
            }
        }

        private fun jsonObject(): Map<String, Any?> {
            val result = LinkedHashMap<String, Any?>()
            expect('{')
            skipWhitespace()
            if (peek() == '}') {
                position++
                return result
            }
            while (true) {
                skipWhitespace()
                val key = string()
                skipWhitespace()
                expect(':')
                result[key] = value()
                skipWhitespace()
                if (peek() == ',') {
                    position++
                } else {
                    expect('}')
                    return result
                }
            }
        }

        private fun jsonArray(): List<Any?> {
            val result = ArrayList<Any?>()
            expect('[')
            skipWhitespace()
            if (peek() == ']') {
                position++
                return result
            }
            while (true) {
                result.add(value())
                skipWhitespace()
                if (peek() == ',') {
                    position++
                } else {
                    expect(']')
                    return result
                }
            }
        }

        private fun string(): String {
            expect('"')
            val result = StringBuilder()
            while (true) {
                require(position < text.length) { "unterminated string" }
                val char = text[position++]
                when {
                    char == '"' -> return result.toString()
                    char == '\\' -> result.append(escape())
                    char < ' ' -> throw IllegalArgumentException("control character in string at offset ${position - 1}")
                    else -> result.append(char)
                }
            }
        }

        private fun escape(): Char {
            require(position < text.length) { "unterminated escape" }
            return when (val char = text[position++]) {
                '"' -> '"'
                '\\' -> '\\'
                '/' -> '/'
                'b' -> '\b'
                'f' -> '\u000C'
                'n' -> '\n'
                'r' -> '\r'
                't' -> '\t'
                'u' -> {
                    require(position + 4 <= text.length) { "short \\u escape" }
                    val code = text.substring(position, position + 4).toInt(16)
                    position += 4
                    code.toChar()
                }
                else -> throw IllegalArgumentException("invalid escape \\$char")
            }
        }

        private fun number(): Double {
            val start = position
            while (position < text.length && text[position] in NUMBER_CHARACTERS) {
                position++
            }
            return text.substring(start, position).toDouble()
        }

        private fun literal(word: String, value: Any?): Any? {
            require(text.startsWith(word, position)) { "invalid literal at offset $position" }
            position += word.length
            return value
        }

        private fun expect(char: Char) {
            require(peek() == char) { "expected '$char' at offset $position" }
            position++
        }

        private fun peek(): Char? = if (position < text.length) text[position] else null

        private fun skipWhitespace() {
            while (position < text.length && text[position] in WHITESPACE) {
                position++
            }
        }

        private companion object {
            const val NUMBER_CHARACTERS = "+-0123456789.eE"
            const val WHITESPACE = " \t\r\n"
        }
    }
}
