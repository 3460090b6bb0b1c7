// Stand-ins for androidx.activity.compose (activity-compose 1.13.0); sources listed in activity.kt.
@file:Suppress("UNUSED_PARAMETER")

package androidx.activity.compose

import androidx.activity.ComponentActivity
import androidx.activity.result.ActivityResultLauncher
import androidx.activity.result.contract.ActivityResultContract
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionContext

fun ComponentActivity.setContent(
    parent: CompositionContext? = null,
    content: @Composable () -> Unit,
): Unit = throw UnsupportedOperationException("compile-time stand-in")

class ManagedActivityResultLauncher<I, O> internal constructor() : ActivityResultLauncher<I>() {
    override fun launch(input: I) {
        throw UnsupportedOperationException("compile-time stand-in")
    }
}

@Composable
fun <I, O> rememberLauncherForActivityResult(
    contract: ActivityResultContract<I, O>,
    onResult: (O) -> Unit,
): ManagedActivityResultLauncher<I, O> = throw UnsupportedOperationException("compile-time stand-in")
