package io.sdkgen.examples.mobilenet.sample

import android.app.Application
import android.content.ContentResolver
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.net.Uri
import android.os.Bundle
import android.os.SystemClock
import androidx.activity.ComponentActivity
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
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
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.rotate
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.exifinterface.media.ExifInterface
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import io.sdkgen.examples.mobilenet.MobileNetV2
import io.sdkgen.examples.mobilenet.MobileNetV2Exception
import io.sdkgen.examples.mobilenet.MobileNetV2Spec

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
 * photo decoding is moved to [Dispatchers.IO]. A new photo cancels the classification of the
 * previous one, so results never overlap or arrive out of order.
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

    /** Decodes the photo at [uri] (downsampled, EXIF orientation read) off the main thread, then classifies it. */
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

    private fun start(block: suspend (Long) -> Unit) {
        classification?.cancel()
        classification = viewModelScope.launch { block(SystemClock.elapsedRealtimeNanos()) }
    }

    private suspend fun classify(decoded: Photo, startNanos: Long) {
        val classifier = model ?: return
        photo = decoded
        state = try {
            val tensor = withContext(Dispatchers.Default) {
                classifier.preprocessImage(decoded.bitmap, decoded.rotationDegrees)
            }
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
 * Decodes picked photos the way the SDK wants them: downsampled while decoding
 * (`BitmapFactory.Options.inSampleSize`, a power of two) so the longer side is at most
 * [MAX_SIDE] pixels, never below the model's size, and never the full-resolution camera photo
 * (which can exhaust the heap); the EXIF orientation is read separately and handed to the SDK,
 * which turns the pixels upright before its resize.
 */
internal object PhotoDecoder {
    /** Longest side decoded: comfortably above the model's 224x224 pixels. */
    const val MAX_SIDE: Int = 1024

    /** The photo at [uri], or `null` when it cannot be read. */
    fun decode(resolver: ContentResolver, uri: Uri): Photo? {
        val bounds = BitmapFactory.Options().apply { inJustDecodeBounds = true }
        // with inJustDecodeBounds, decodeStream returns null and fills in outWidth and outHeight
        val opened = resolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it, null, bounds); true }
        if (opened != true || bounds.outWidth <= 0 || bounds.outHeight <= 0) {
            return null
        }
        var sampleSize = 1
        while (maxOf(bounds.outWidth, bounds.outHeight) / (sampleSize * 2) >= MAX_SIDE) {
            sampleSize *= 2
        }
        val options = BitmapFactory.Options().apply { inSampleSize = sampleSize }
        val bitmap = resolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it, null, options) } ?: return null
        val rotation = resolver.openInputStream(uri)?.use { ExifInterface(it).rotationDegrees } ?: 0
        return Photo(bitmap, rotation)
    }
}

/** Pick or take a photo; shows it with its top classes, their probabilities and the latency. */
@Composable
private fun SampleScreen(viewModel: SampleViewModel = viewModel()) {
    val pickPhoto = rememberLauncherForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri ->
        if (uri != null) {
            viewModel.classify(uri)
        }
    }
    val takePhoto = rememberLauncherForActivityResult(ActivityResultContracts.TakePicturePreview()) { bitmap ->
        if (bitmap != null) {
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
        viewModel.photo?.let {
            Image(
                bitmap = it.bitmap.asImageBitmap(),
                contentDescription = stringResource(R.string.selected_image),
                modifier = Modifier.size(224.dp).rotate(it.rotationDegrees.toFloat()),
            )
        }
        StateText(viewModel.state)
    }
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
