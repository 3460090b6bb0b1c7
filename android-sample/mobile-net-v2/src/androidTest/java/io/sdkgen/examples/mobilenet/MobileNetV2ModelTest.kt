package io.sdkgen.examples.mobilenet

import android.graphics.Bitmap
import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import org.junit.Assert.assertEquals
import org.junit.Test
import org.junit.runner.RunWith

/**
 * Runs the real model with the ExecuTorch runtime on a device or emulator and checks its outputs
 * against the golden outputs (eager PyTorch) within the model tolerance.
 *
 * The golden folder is an asset of the test APK (`src/androidTest/assets/golden`).
 */
@RunWith(AndroidJUnit4::class)
class MobileNetV2ModelTest {
    private val instrumentation = InstrumentationRegistry.getInstrumentation()
    private val golden = GoldenVectors { file ->
        instrumentation.context.assets.open("golden/$file").use { it.readBytes() }
    }

    @Test
    fun runReproducesGoldenOutputs() {
        MobileNetV2.create(instrumentation.targetContext).use { model ->
            for (case in golden.cases) {
                val outputs = model.run(
                    golden.floats(case.inputTensor("image")),
                )
                assertClose(
                    "${case.name}: logits",
                    golden.floats(case.outputTensor("logits")),
                    outputs.logits,
                )
            }
        }
    }

    @Test
    fun classifyAgreesWithGoldenProbabilities() {
        val preprocessing = MobileNetV2Spec.imagePreprocessing
        MobileNetV2.create(instrumentation.targetContext).use { model ->
            for (case in golden.cases) {
                val bitmap = Bitmap.createBitmap(
                    golden.argbPixels(case.rawInput("image")),
                    preprocessing.width,
                    preprocessing.height,
                    Bitmap.Config.ARGB_8888,
                )
                val reference = MobileNetV2Spec.decodeLogits(
                    golden.floats(case.outputTensor("logits")),
                    MobileNetV2Spec.logitsLabels.size,
                ).associateBy { it.index }
                val classes = model.classify(bitmap)
                assertEquals("${case.name}: top class", case.decoded("logits").first().label, classes.first().label)
                for (item in classes) {
                    val expected = checkNotNull(reference[item.index]).probability
                    assertEquals("${case.name}: class ${item.index}", expected, item.probability, golden.modelAtol.toFloat())
                }
            }
        }
    }

    private fun assertClose(what: String, expected: FloatArray, actual: FloatArray) {
        assertEquals("$what: size", expected.size, actual.size)
        for (index in expected.indices) {
            assertEquals("$what[$index]", expected[index], actual[index], golden.modelAtol.toFloat())
        }
    }
}
