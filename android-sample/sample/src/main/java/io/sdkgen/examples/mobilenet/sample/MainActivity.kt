package io.sdkgen.examples.mobilenet.sample

import android.Manifest
import android.app.Application
import android.content.ContentResolver
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.graphics.ImageDecoder
import android.net.Uri
import android.os.Build
import android.os.Bundle
import android.os.SystemClock
import androidx.activity.ComponentActivity
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.annotation.RequiresApi
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.lifecycle.awaitInstance
import androidx.camera.view.PreviewView
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.foundation.layout.size
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.rotate
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.exifinterface.media.ExifInterface
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import java.io.IOException
import kotlin.math.roundToInt
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import io.sdkgen.examples.mobilenet.MobileNetV2
import io.sdkgen.examples.mobilenet.MobileNetV2Exception
import io.sdkgen.examples.mobilenet.MobileNetV2Spec
import io.sdkgen.examples.mobilenet.preprocessImage

/** Sample app of the MobileNet V2 SDK. */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        // draw behind the system bars, with their icons contrasting with the app's background
        enableEdgeToEdge()
        super.onCreate(savedInstanceState)
        setContent {
            MaterialTheme {
                Surface(modifier = Modifier.fillMaxSize()) {
                    SampleScreen()
                }
            }
        }
    }
}

/** What the screen shows below its buttons. */
internal sealed interface ScreenState {
    /** The model is being loaded. */
    data object Loading : ScreenState

    /** The model is loaded and idle. */
    data object Ready : ScreenState

    /** Loading or inference failed; [message] says why, ready to show. */
    data class Failed(val message: String) : ScreenState

    /**
     * The latest classification: one line per class, the time of the model alone, the time of the
     * whole pipeline (decoding, pre-processing, model, decoding of the output) and whether this was
     * the first inference of the model (slower: caches and the thread pool warm up).
     */
    data class Done(
        val lines: List<String>,
        val inferenceMilliseconds: Double,
        val pipelineMilliseconds: Double,
        val firstCall: Boolean,
    ) : ScreenState
}

/** A photo decoded for classification, and the clockwise rotation that turns it upright. */
internal class Photo(val bitmap: Bitmap, val rotationDegrees: Int)

/**
 * Owns the model for as long as the screen exists, across configuration changes. The SDK's
 * `suspend` functions are main-safe, so this runs them from [viewModelScope] directly; only the
 * photo decoding is moved to [Dispatchers.IO]. A new photo or camera frame cancels the
 * classification of the previous one, so results never overlap or arrive out of order, and a
 * cancelled classification never writes its result.
 */
internal class SampleViewModel(application: Application) : AndroidViewModel(application) {
    /** What the screen shows. */
    var state: ScreenState by mutableStateOf(ScreenState.Loading)
        private set

    /** The photo being classified. */
    var photo: Photo? by mutableStateOf(null)
        private set

    private var model: MobileNetV2? by mutableStateOf(null)
    private var classification: Job? = null
    private var inferences = 0

    /** Whether the model is loaded and inference can start. */
    val canRun: Boolean
        get() = model != null

    init {
        viewModelScope.launch {
            state = try {
                model = MobileNetV2.create(application)
                ScreenState.Ready
            } catch (error: MobileNetV2Exception) {
                ScreenState.Failed(text(R.string.load_failed, error.message ?: error.toString()))
            }
        }
    }

    /** Decodes the photo at [uri] (upright, downsampled) off the main thread, then classifies it. */
    fun classify(uri: Uri) {
        start { startNanos ->
            val resolver = getApplication<Application>().contentResolver
            val decoded = withContext(Dispatchers.IO) { PhotoDecoder.decode(resolver, uri) }
            if (decoded == null) {
                state = ScreenState.Failed(text(R.string.image_unreadable))
            } else {
                classify(decoded, startNanos)
            }
        }
    }

    /** Classifies a camera preview [bitmap] (already upright). */
    fun classify(bitmap: Bitmap) {
        start { startNanos -> classify(Photo(bitmap, 0), startNanos) }
    }

    /**
     * Classifies a live camera [frame] (upright by its `imageInfo.rotationDegrees`, which the SDK
     * applies) and closes it once done or cancelled. With `STRATEGY_KEEP_ONLY_LATEST`, CameraX
     * delivers the next frame only after this one is closed, so at most one frame is classified at
     * a time and the others are dropped.
     */
    fun classify(frame: ImageProxy) {
        val classifier = model
        if (classifier == null) {
            frame.close()
            return
        }
        photo = null
        val job = start { startNanos ->
            val tensor = withContext(Dispatchers.Default) { classifier.preprocessImage(frame) }
            showClassification(classifier, tensor, startNanos)
        }
        // also when the job is cancelled before it starts: a frame left open stops the camera feed
        job.invokeOnCompletion { frame.close() }
    }

    /** Stops showing results of the live camera: cancels the classification of the last frame. */
    fun stopCamera() {
        classification?.cancel()
        if (model != null) {
            state = ScreenState.Ready
        }
    }

    /** Shows that the camera permission was refused. */
    fun cameraDenied() {
        state = ScreenState.Failed(text(R.string.camera_denied))
    }

    /** Shows why the camera could not be started ([reason], from CameraX). */
    fun cameraFailed(reason: String) {
        state = ScreenState.Failed(text(R.string.camera_failed, reason))
    }

    private fun start(block: suspend (Long) -> Unit): Job {
        classification?.cancel()
        return viewModelScope.launch { block(SystemClock.elapsedRealtimeNanos()) }.also { classification = it }
    }

    private suspend fun classify(decoded: Photo, startNanos: Long) {
        val classifier = model ?: return
        photo = decoded
        val tensor = try {
            withContext(Dispatchers.Default) {
                classifier.preprocessImage(decoded.bitmap, decoded.rotationDegrees)
            }
        } catch (error: IllegalArgumentException) {
            state = ScreenState.Failed(text(R.string.image_unreadable))
            return
        }
        showClassification(classifier, tensor, startNanos)
    }

    /** Runs the model on [tensor] and shows its classes and latencies (unless cancelled meanwhile). */
    private suspend fun showClassification(classifier: MobileNetV2, tensor: FloatArray, startNanos: Long) {
        state = try {
            val inferenceStart = SystemClock.elapsedRealtimeNanos()
            val outputs = classifier.predict(tensor)
            val inferenceMilliseconds = millisecondsSince(inferenceStart)
            val classes = MobileNetV2Spec.decodeLogits(outputs.logits)
            inferences += 1
            ScreenState.Done(
                classes.map { text(R.string.classification, it.label, it.probability * 100f) },
                inferenceMilliseconds,
                millisecondsSince(startNanos),
                firstCall = inferences == 1,
            )
        } catch (error: MobileNetV2Exception) {
            ScreenState.Failed(text(R.string.run_failed, error.message ?: error.toString()))
        }
    }

    /** Frees the native model; an inference still running finishes first. */
    override fun onCleared() {
        model?.close()
    }

    private fun text(id: Int, vararg arguments: Any): String =
        getApplication<Application>().getString(id, *arguments)

    private fun millisecondsSince(startNanos: Long): Double =
        (SystemClock.elapsedRealtimeNanos() - startNanos) / 1_000_000.0
}

/**
 * Decodes picked photos the way the SDK wants them: upright (EXIF orientation applied) and
 * downsampled while decoding to [decodeSize] (the longer side at most [MAX_SIDE] pixels, the
 * shorter side not below what the model's resize contract starts from, never above the contract's
 * 8192 pixels), so a full-resolution camera photo never reaches the heap. On Android 9+ this is
 * `ImageDecoder` (which applies the EXIF orientation itself and scales to an exact size, into a
 * software bitmap the SDK can read); below, `BitmapFactory` with a power-of-two `inSampleSize`
 * and the EXIF orientation read separately and handed to the SDK.
 */
internal object PhotoDecoder {
    /** Longest side decoded, unless the model needs more: comfortably above its 224x224 pixels. */
    const val MAX_SIDE: Int = 1024

    /** Largest photo side the SDK's resize contract covers. */
    const val CONTRACT_MAX_SIDE: Int = 8192

    /**
     * Shorter side the decoded photo keeps at least: the contract's first resize target
     * (the shorter side is resized to 256 before the centre crop).
     */
    const val MIN_SHORTER_SIDE: Int = 256

    /** The photo at [uri], or `null` when it cannot be read. */
    fun decode(resolver: ContentResolver, uri: Uri): Photo? =
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            decodeUpright(resolver, uri)
        } else {
            decodeSampled(resolver, uri)
        }

    /** The size to decode a [width] x [height] photo at, keeping its aspect ratio; never larger. */
    fun decodeSize(width: Int, height: Int): Pair<Int, Int> {
        val longer = maxOf(width, height).toDouble()
        val shorter = minOf(width, height).toDouble()
        val scale = minOf(maxOf(MAX_SIDE / longer, MIN_SHORTER_SIDE / shorter), CONTRACT_MAX_SIDE / longer, 1.0)
        return maxOf(1, (width * scale).roundToInt()) to maxOf(1, (height * scale).roundToInt())
    }

    @RequiresApi(Build.VERSION_CODES.P)
    private fun decodeUpright(resolver: ContentResolver, uri: Uri): Photo? {
        val source = ImageDecoder.createSource(resolver, uri)
        val bitmap = try {
            ImageDecoder.decodeBitmap(source) { decoder, info, _ ->
                val (width, height) = decodeSize(info.size.width, info.size.height)
                decoder.setTargetSize(width, height)
                // the default is a HARDWARE bitmap, whose pixels the SDK cannot read
                decoder.allocator = ImageDecoder.ALLOCATOR_SOFTWARE
            }
        } catch (error: IOException) {
            return null
        }
        return Photo(bitmap, 0)
    }

    private fun decodeSampled(resolver: ContentResolver, uri: Uri): Photo? {
        val bounds = BitmapFactory.Options().apply { inJustDecodeBounds = true }
        // with inJustDecodeBounds, decodeStream returns null and fills in outWidth and outHeight
        val opened = resolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it, null, bounds); true }
        if (opened != true || bounds.outWidth <= 0 || bounds.outHeight <= 0) {
            return null
        }
        val (width, height) = decodeSize(bounds.outWidth, bounds.outHeight)
        var sampleSize = 1
        while (bounds.outWidth / (sampleSize * 2) >= width && bounds.outHeight / (sampleSize * 2) >= height) {
            sampleSize *= 2
        }
        val options = BitmapFactory.Options().apply { inSampleSize = sampleSize }
        val bitmap = resolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it, null, options) } ?: return null
        val rotation = resolver.openInputStream(uri)?.use { ExifInterface(it).rotationDegrees } ?: 0
        return Photo(bitmap, rotation)
    }
}

/**
 * Pick or take a photo, or classify the live camera; shows the photo or the camera preview with
 * the top classes, their probabilities and the latency.
 */
@Composable
private fun SampleScreen(viewModel: SampleViewModel = viewModel()) {
    var live by remember { mutableStateOf(false) }
    val requestCamera = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        if (granted) {
            live = true
        } else {
            viewModel.cameraDenied()
        }
    }
    val pickPhoto = rememberLauncherForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri ->
        if (uri != null) {
            live = false
            viewModel.classify(uri)
        }
    }
    val takePhoto = rememberLauncherForActivityResult(ActivityResultContracts.TakePicturePreview()) { bitmap ->
        if (bitmap != null) {
            live = false
            viewModel.classify(bitmap)
        }
    }
    Column(
        // edge to edge (enforced for target SDK 35+ on Android 15+): keep clear of the system bars
        modifier = Modifier.fillMaxSize().safeDrawingPadding().padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Text(MobileNetV2Spec.DISPLAY_NAME, style = MaterialTheme.typography.headlineSmall)
        Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
            Button(
                onClick = {
                    pickPhoto.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly))
                },
                enabled = viewModel.canRun,
            ) {
                Text(stringResource(R.string.pick_image))
            }
            Button(onClick = { takePhoto.launch(null) }, enabled = viewModel.canRun) {
                Text(stringResource(R.string.take_photo))
            }
        }
        Button(
            onClick = {
                if (live) {
                    live = false
                    viewModel.stopCamera()
                } else {
                    requestCamera.launch(Manifest.permission.CAMERA)
                }
            },
            enabled = viewModel.canRun,
        ) {
            Text(stringResource(if (live) R.string.stop_camera else R.string.live_camera))
        }
        if (live) {
            CameraFeed(
                onFrame = viewModel::classify,
                onFailure = viewModel::cameraFailed,
                modifier = Modifier.size(224.dp),
            )
        }
        viewModel.photo?.takeIf { !live }?.let {
            Image(
                bitmap = it.bitmap.asImageBitmap(),
                contentDescription = stringResource(R.string.selected_image),
                modifier = Modifier.size(224.dp).rotate(it.rotationDegrees.toFloat()),
            )
        }
        StateText(viewModel.state)
    }
}

/**
 * The back camera's preview, with every analysed frame handed to [onFrame] (which must close it).
 * Binds a CameraX `Preview` and an `ImageAnalysis` (RGBA frames, only the latest kept) to the
 * screen's lifecycle while shown, and unbinds them when it leaves the screen. Frames arrive on the
 * main thread, which owns the screen's state; [onFrame] only starts the work elsewhere.
 */
@Composable
private fun CameraFeed(onFrame: (ImageProxy) -> Unit, onFailure: (String) -> Unit, modifier: Modifier) {
    val context = LocalContext.current
    val lifecycleOwner = LocalLifecycleOwner.current
    val previewView = remember { PreviewView(context) }
    LaunchedEffect(lifecycleOwner) {
        val preview = Preview.Builder().build()
        val analysis = ImageAnalysis.Builder()
            .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
            .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_RGBA_8888)
            .build()
        val provider = try {
            ProcessCameraProvider.awaitInstance(context)
        } catch (error: CancellationException) {
            throw error
        } catch (error: Exception) {
            onFailure(error.message ?: error.toString())
            return@LaunchedEffect
        }
        try {
            preview.setSurfaceProvider(previewView.surfaceProvider)
            analysis.setAnalyzer(ContextCompat.getMainExecutor(context)) { frame -> onFrame(frame) }
            provider.bindToLifecycle(lifecycleOwner, CameraSelector.DEFAULT_BACK_CAMERA, preview, analysis)
            awaitCancellation()
        } catch (error: IllegalArgumentException) {
            // no back camera, or the use cases cannot be combined on this device
            onFailure(error.message ?: error.toString())
        } finally {
            analysis.clearAnalyzer()
            provider.unbind(preview, analysis)
        }
    }
    AndroidView(factory = { previewView }, modifier = modifier)
}

/** The status line, or the results of the latest inference with its latency. */
@Composable
private fun StateText(state: ScreenState) {
    when (state) {
        ScreenState.Loading -> Text(stringResource(R.string.loading))
        ScreenState.Ready -> Text(stringResource(R.string.ready))
        is ScreenState.Failed -> Text(state.message)
        is ScreenState.Done -> {
            state.lines.forEach { Text(it) }
            Text(stringResource(R.string.latency, state.inferenceMilliseconds))
            Text(stringResource(R.string.pipeline_latency, state.pipelineMilliseconds))
            if (state.firstCall) {
                Text(stringResource(R.string.first_call))
            }
        }
    }
}
