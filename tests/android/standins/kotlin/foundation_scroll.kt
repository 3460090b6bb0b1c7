// Stand-ins for androidx.compose.foundation (compose-bom 2026.04.01) Scroll.kt: `class ScrollState`,
// `@Composable fun rememberScrollState(initial: Int = 0): ScrollState`,
// `fun Modifier.verticalScroll(state: ScrollState, enabled: Boolean = true, ...)`. Compile only.
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.foundation

import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier

class ScrollState internal constructor()

@Composable
fun rememberScrollState(initial: Int = 0): ScrollState = throw UnsupportedOperationException("compile-time stand-in")

fun Modifier.verticalScroll(state: ScrollState, enabled: Boolean = true): Modifier = this
