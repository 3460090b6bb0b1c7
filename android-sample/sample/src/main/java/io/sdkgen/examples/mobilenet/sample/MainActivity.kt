package io.sdkgen.examples.mobilenet.sample

import android.app.Application
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.net.Uri
import android.os.Bundle
import android.os.SystemClock
import androidx.activity.ComponentActivity
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.compose.setContent
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
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
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import io.sdkgen.examples.mobilenet.MobileNetV2
import io.sdkgen.examples.mobilenet.MobileNetV2Exception
import io.sdkgen.examples.mobilenet.MobileNetV2Spec

/** Sample app of the MobileNet V2 SDK. */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
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

    /** The latest inference: one line per result and the time the model took. */
    data class Done(val lines: List<String>, val milliseconds: Double) : ScreenState
}

/**
 * Owns the model for as long as the screen exists, across configuration changes, and runs it on
 * [Dispatchers.Default]: nothing heavy ever runs on the main thread. State changes happen on the
 * main thread, where Compose reads them.
 */
internal class SampleViewModel(application: Application) : AndroidViewModel(application) {
    /** What the screen shows. */
    var state: ScreenState by mutableStateOf(ScreenState.Loading)
        private set

    /** The photo being classified. */
    var image: Bitmap? by mutableStateOf(null)
        private set

    private var model: MobileNetV2? by mutableStateOf(null)

    /** Whether the model is loaded and inference can start. */
    val canRun: Boolean
        get() = model != null

    init {
        viewModelScope.launch {
            state = try {
                model = withContext(Dispatchers.Default) { MobileNetV2.create(application) }
                ScreenState.Ready
            } catch (error: MobileNetV2Exception) {
                ScreenState.Failed(text(R.string.load_failed, error.message ?: error.toString()))
            }
        }
    }

    /** Decodes the photo at [uri] off the main thread, then classifies it. */
    fun classify(uri: Uri) {
        viewModelScope.launch {
            val resolver = getApplication<Application>().contentResolver
            val bitmap = withContext(Dispatchers.IO) {
                resolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it) }
            }
            if (bitmap == null) {
                state = ScreenState.Failed(text(R.string.image_unreadable))
            } else {
                classify(bitmap)
            }
        }
    }

    /** Classifies [bitmap] off the main thread and shows the top classes and the latency. */
    fun classify(bitmap: Bitmap) {
        val classifier = model ?: return
        image = bitmap
        viewModelScope.launch {
            state = withContext(Dispatchers.Default) {
                try {
                    val start = SystemClock.elapsedRealtimeNanos()
                    val classes = classifier.classify(bitmap)
                    val milliseconds = millisecondsSince(start)
                    ScreenState.Done(
                        classes.map { text(R.string.classification, it.label, it.probability * 100f) },
                        milliseconds,
                    )
                } catch (error: MobileNetV2Exception) {
                    ScreenState.Failed(text(R.string.run_failed, error.message ?: error.toString()))
                }
            }
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
        modifier = Modifier.fillMaxSize().padding(16.dp),
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
        viewModel.image?.let {
            Image(
                bitmap = it.asImageBitmap(),
                contentDescription = stringResource(R.string.selected_image),
                modifier = Modifier.size(224.dp),
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
            Text(stringResource(R.string.latency, state.milliseconds))
        }
    }
}
