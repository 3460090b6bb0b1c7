// Stand-ins for androidx.camera.lifecycle, androidx.camera:camera-lifecycle 1.6
// (camera/camera-lifecycle/api/current.txt: ProcessCameraProvider.bindToLifecycle(LifecycleOwner,
// CameraSelector, UseCase?...): Camera; unbind(UseCase?...); unbindAll(); ProcessCameraProviderExt.kt:
// suspend fun ProcessCameraProvider.Companion.awaitInstance(context: Context), added in 1.4.0).
// Compile only.
@file:Suppress("UNUSED_PARAMETER")

package androidx.camera.lifecycle

import android.content.Context
import androidx.camera.core.Camera
import androidx.camera.core.CameraSelector
import androidx.camera.core.UseCase
import androidx.lifecycle.LifecycleOwner

class ProcessCameraProvider private constructor() {
    fun bindToLifecycle(
        lifecycleOwner: LifecycleOwner,
        cameraSelector: CameraSelector,
        vararg useCases: UseCase?,
    ): Camera = throw UnsupportedOperationException("compile-time stand-in")

    fun unbind(vararg useCases: UseCase?) {}

    fun unbindAll() {}

    companion object
}

suspend fun ProcessCameraProvider.Companion.awaitInstance(context: Context): ProcessCameraProvider =
    throw UnsupportedOperationException("compile-time stand-in")
