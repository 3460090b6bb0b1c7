// Stand-in for androidx.compose.ui.unit.Dp and Int.dp (compose/ui/ui-unit/.../Dp.kt, compose-bom
// 2026.04.01).
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.ui.unit

@JvmInline
value class Dp(val value: Float)

val Int.dp: Dp
    get() = Dp(toFloat())
