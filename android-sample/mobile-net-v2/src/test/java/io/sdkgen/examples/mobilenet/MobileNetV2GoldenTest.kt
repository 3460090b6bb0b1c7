package io.sdkgen.examples.mobilenet

import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * Checks the pure Kotlin pre- and post-processing against the golden vectors on the JVM.
 *
 * The golden folder is a test resource (`src/test/resources/golden`), written by the SDK
 * generator from its reference implementation.
 */
class MobileNetV2GoldenTest {
    private val golden = GoldenVectors { file ->
        val stream = checkNotNull(MobileNetV2GoldenTest::class.java.getResourceAsStream("/golden/$file")) {
            "golden/$file is not on the test classpath"
        }
        stream.use { it.readBytes() }
    }

    @Test
    fun manifestDescribesThisModel() {
        assertEquals(MobileNetV2Spec.DISPLAY_NAME, golden.model)
        assertTrue("the golden folder has no cases", golden.cases.isNotEmpty())
        assertEquals(MobileNetV2Spec.imageShape, golden.shape("image"))
        assertEquals(MobileNetV2Spec.logitsShape, golden.shape("logits"))
        assertEquals(MobileNetV2Spec.logitsLabels, golden.labels("logits"))
    }

    @Test
    fun topKPutsEqualProbabilitiesInIndexOrder() {
        val ranked = Postprocessing.topK(floatArrayOf(0.25f, 0.5f, 0.25f), listOf("a", "b", "c"), 3)
        assertEquals(listOf(1, 0, 2), ranked.map { it.index })
    }

    @Test
    fun preprocessImageFromTheRawPhotoMatchesGolden() {
        for (case in golden.cases) {
            val expected = golden.floats(case.inputTensor("image"))
            val (width, height) = case.rawSize("image")
            val actual = MobileNetV2Spec.imagePreprocessing.toTensor(
                golden.argbPixels(case.rawInput("image")),
                width,
                height,
            )
            assertWithinTolerance("${case.name}: image", expected, actual, golden.tensorAtol.toFloat())
        }
    }

    @Test
    fun preprocessImageTurnsARotatedPhotoUpright() {
        val feature = "image"
        for (case in golden.cases) {
            val expected = golden.floats(case.inputTensor(feature))
            val (width, height) = case.rawSize(feature)
            // as a camera delivers it: the upright photo turned a quarter counter-clockwise
            val delivered = ImageResize.rotate(golden.argbPixels(case.rawInput(feature)), width, height, 270)
            val actual = MobileNetV2Spec.imagePreprocessing.toTensor(delivered, height, width, 90)
            assertWithinTolerance("${case.name}: image turned upright", expected, actual, golden.tensorAtol.toFloat())
        }
    }

    @Test
    fun decodeLogitsMatchesGolden() {
        for (case in golden.cases) {
            val expected = case.decoded("logits")
            val actual = MobileNetV2Spec.decodeLogits(
                golden.floats(case.outputTensor("logits")),
                expected.size,
            )
            assertEquals("${case.name}: indices", expected.map { it.index }, actual.map { it.index })
            assertEquals("${case.name}: labels", expected.map { it.label }, actual.map { it.label })
            for ((want, got) in expected.zip(actual)) {
                assertWithinTolerance("${case.name}: class ${want.index} probability", want.probability, got.probability, golden.probabilityAtol.toFloat())
            }
        }
    }
}
