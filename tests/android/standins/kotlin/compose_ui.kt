// Stand-ins for androidx.compose.ui (compose-bom 2026.04.01); sources listed in compose.kt.
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.ui

interface Modifier {
    infix fun then(other: Modifier): Modifier = other

    companion object : Modifier
}
