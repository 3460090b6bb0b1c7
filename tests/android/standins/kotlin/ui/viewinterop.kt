// Stand-in for androidx.compose.ui.viewinterop.AndroidView, compose-bom 2026.04.01
// (compose/ui/ui/src/androidMain/kotlin/androidx/compose/ui/viewinterop/AndroidView.android.kt:
// fun <T : View> AndroidView(factory: (Context) -> T, modifier: Modifier = Modifier,
// update: (T) -> Unit = NoOpUpdate)). Compile only.
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.ui.viewinterop

import android.content.Context
import android.view.View
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier

@Composable
fun <T : View> AndroidView(
    factory: (Context) -> T,
    modifier: Modifier = Modifier,
    update: (T) -> Unit = {},
): Unit = throw UnsupportedOperationException("compile-time stand-in")
