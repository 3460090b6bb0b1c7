// Stand-in for androidx.compose.ui.draw (compose-bom 2026.04.01), Rotate.kt:
// fun Modifier.rotate(degrees: Float): Modifier. Compile only.
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.ui.draw

import androidx.compose.ui.Modifier

fun Modifier.rotate(degrees: Float): Modifier = this
