// Stand-ins for androidx.compose.foundation and foundation-layout (compose-bom 2026.04.01);
// sources listed in compose.kt, and Scroll.kt (ScrollState, verticalScroll). Compile only.
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.foundation

import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.ImageBitmap

@Composable
fun Image(
    bitmap: ImageBitmap,
    contentDescription: String?,
    modifier: Modifier = Modifier,
): Unit = throw UnsupportedOperationException("compile-time stand-in")

class ScrollState(initial: Int)

@Composable
fun rememberScrollState(initial: Int = 0): ScrollState = ScrollState(initial)

fun Modifier.verticalScroll(
    state: ScrollState,
    enabled: Boolean = true,
    reverseScrolling: Boolean = false,
): Modifier = this
