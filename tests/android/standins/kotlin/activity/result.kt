// Stand-ins for androidx.activity.result (activity 1.13.0); sources listed in activity.kt.
@file:Suppress("UNUSED_PARAMETER")

package androidx.activity.result

import androidx.activity.result.contract.ActivityResultContracts.PickVisualMedia

abstract class ActivityResultLauncher<I> {
    abstract fun launch(input: I)
}

class PickVisualMediaRequest internal constructor() {
    var mediaType: PickVisualMedia.VisualMediaType = PickVisualMedia.ImageAndVideo
        internal set
}

fun PickVisualMediaRequest(
    mediaType: PickVisualMedia.VisualMediaType = PickVisualMedia.ImageAndVideo,
): PickVisualMediaRequest = PickVisualMediaRequest().apply { this.mediaType = mediaType }
