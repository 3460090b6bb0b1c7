// Stand-ins for androidx.activity.result.contract (activity 1.13.0); sources listed in activity.kt.
package androidx.activity.result.contract

import android.graphics.Bitmap
import android.net.Uri
import androidx.activity.result.PickVisualMediaRequest

abstract class ActivityResultContract<I, O>

class ActivityResultContracts private constructor() {
    open class PickVisualMedia : ActivityResultContract<PickVisualMediaRequest, Uri?>() {
        sealed interface VisualMediaType

        object ImageOnly : VisualMediaType

        object ImageAndVideo : VisualMediaType
    }

    open class TakePicturePreview : ActivityResultContract<Void?, Bitmap?>()

    class RequestPermission : ActivityResultContract<String, Boolean>()
}
