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
    fun predictReproducesGoldenOutputs() {
        MobileNetV2.createBlocking(instrumentation.targetContext).use { model ->
            for (case in golden.cases) {
                val outputs = model.predictBlocking(
                    golden.floats(case.inputTensor("image")),
                )
                assertWithinTolerance(
                    "${case.name}: logits",
                    golden.floats(case.outputTensor("logits")),
                    outputs.logits,
                    golden.modelAtol.toFloat(),
                )
            }
        }
    }

    @Test
    fun classifyAgreesWithGoldenProbabilities() {
        MobileNetV2.createBlocking(instrumentation.targetContext).use { model ->
            for (case in golden.cases) {
                val (width, height) = case.rawSize("image")
                // the full-size photo: the bitmap path resizes it on the device, as apps call it
                val bitmap = Bitmap.createBitmap(
                    golden.argbPixels(case.rawInput("image")),
                    width,
                    height,
                    Bitmap.Config.ARGB_8888,
                )
                val reference = MobileNetV2Spec.decodeLogits(
                    golden.floats(case.outputTensor("logits")),
                    MobileNetV2Spec.logitsLabels.size,
                ).associateBy { it.index }
                val classes = model.classifyBlocking(bitmap)
                assertEquals("${case.name}: top class", case.decoded("logits").first().label, classes.first().label)
                for (item in classes) {
                    val expected = checkNotNull(reference[item.index]).probability
                    assertWithinTolerance("${case.name}: class ${item.index} probability", expected, item.probability, golden.modelAtol.toFloat())
                }
            }
        }
    }
}
