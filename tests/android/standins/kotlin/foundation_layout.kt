// Stand-ins for androidx.compose.foundation.layout (compose-bom 2026.04.01): Column.kt, Row.kt,
// Arrangement.kt, Size.kt, Padding.kt, WindowInsetsPadding.kt (Modifier.safeDrawingPadding()).
// Compile only.
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.foundation.layout

import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.Dp

object Arrangement {
    interface Horizontal

    interface Vertical

    interface HorizontalOrVertical : Horizontal, Vertical

    val Top: Vertical = object : Vertical {}

    val Start: Horizontal = object : Horizontal {}

    fun spacedBy(space: Dp): HorizontalOrVertical = object : HorizontalOrVertical {}
}

interface ColumnScope

interface RowScope

@Composable
inline fun Column(
    modifier: Modifier = Modifier,
    verticalArrangement: Arrangement.Vertical = Arrangement.Top,
    content: @Composable ColumnScope.() -> Unit,
) {
    object : ColumnScope {}.content()
}

@Composable
inline fun Row(
    modifier: Modifier = Modifier,
    horizontalArrangement: Arrangement.Horizontal = Arrangement.Start,
    content: @Composable RowScope.() -> Unit,
) {
    object : RowScope {}.content()
}

fun Modifier.fillMaxSize(fraction: Float = 1f): Modifier = this

fun Modifier.fillMaxWidth(fraction: Float = 1f): Modifier = this

fun Modifier.padding(all: Dp): Modifier = this

fun Modifier.size(size: Dp): Modifier = this

fun Modifier.safeDrawingPadding(): Modifier = this
