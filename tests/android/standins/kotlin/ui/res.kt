// Stand-in for androidx.compose.ui.res.stringResource
// (compose/ui/ui/src/androidMain/kotlin/androidx/compose/ui/res/StringResources.android.kt).
package androidx.compose.ui.res

import androidx.compose.runtime.Composable

@Composable
fun stringResource(id: Int): String = throw UnsupportedOperationException("compile-time stand-in")

@Composable
fun stringResource(id: Int, vararg formatArgs: Any): String =
    throw UnsupportedOperationException("compile-time stand-in")
