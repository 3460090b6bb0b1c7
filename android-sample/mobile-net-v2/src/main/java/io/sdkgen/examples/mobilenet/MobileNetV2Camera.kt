@file:JvmName("MobileNetV2Camera")

package io.sdkgen.examples.mobilenet

import androidx.camera.core.ImageProxy
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

// CameraX entry points. CameraX (androidx.camera:camera-core) is a compile-only dependency of
// this SDK: apps that call these functions already have it, the others do not pay for it.

/**
 * Classifies a CameraX frame: reads its pixels (`ImageProxy.toBitmap()`, so `YUV_420_888` and
 * `RGBA_8888` analysis output both work), keeps its crop rectangle, turns it upright by its
 * `imageInfo.rotationDegrees` and classifies it. Blocking: call it from the analyzer's executor,
 * which is what CameraX expects (with `STRATEGY_KEEP_ONLY_LATEST`, frames that arrive meanwhile
 * are dropped). Does not close [frame]: the analyzer closes it, as CameraX requires.
 *
 * @param frame a frame from `ImageAnalysis.Analyzer.analyze`.
 * @param topK how many classes to return.
 * @throws IllegalStateException if the model is closed.
 * @throws MobileNetV2Exception if the runtime fails.
 */
@JvmOverloads
@Throws(MobileNetV2Exception::class)
public fun MobileNetV2.classifyBlocking(
    frame: ImageProxy,
    topK: Int = MobileNetV2Spec.LOGITS_TOP_K,
): List<Classification> {
    val tensor = preprocessImage(frame)
    return MobileNetV2Spec.decodeLogits(predictBlocking(tensor).logits, topK)
}

/**
 * The model input tensor of a CameraX frame, the first half of [classifyBlocking]: reads the
 * frame's pixels (`ImageProxy.toBitmap()`), keeps its crop rectangle, turns it upright by its
 * `imageInfo.rotationDegrees` and brings it to the model's size by the resize contract. Pass the
 * result to [MobileNetV2.predict] to time the model alone. Blocking; does not close [frame].
 *
 * @param frame a frame from `ImageAnalysis.Analyzer.analyze`.
 * @throws IllegalArgumentException if the frame is larger than the resize contract covers.
 */
public fun MobileNetV2.preprocessImage(frame: ImageProxy): FloatArray {
    val bitmap = frame.toBitmap()
    try {
        val crop = frame.cropRect
        val pixels = BitmapPixels.argbPixels(bitmap)
        val cropped = if (crop.width() == bitmap.width && crop.height() == bitmap.height) {
            pixels
        } else {
            ImageResize.crop(pixels, bitmap.width, crop.left, crop.top, crop.width(), crop.height())
        }
        val preprocessing = MobileNetV2Spec.imagePreprocessing
        return preprocessing.toTensor(cropped, crop.width(), crop.height(), frame.imageInfo.rotationDegrees)
    } finally {
        bitmap.recycle()
    }
}

/**
 * Main-safe twin of [classifyBlocking] for a CameraX frame. [frame] must stay open until this
 * returns; close it afterwards.
 *
 * @throws MobileNetV2Exception if the runtime fails.
 */
@Throws(MobileNetV2Exception::class)
public suspend fun MobileNetV2.classify(
    frame: ImageProxy,
    topK: Int = MobileNetV2Spec.LOGITS_TOP_K,
): List<Classification> = withContext(Dispatchers.Default) { classifyBlocking(frame, topK) }
