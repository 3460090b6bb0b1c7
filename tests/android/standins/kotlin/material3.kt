// Stand-ins for androidx.compose.material3 (compose-bom 2026.04.01): Button.kt, Text.kt,
// Surface.kt, MaterialTheme.kt, Typography.kt, OutlinedTextField.kt. Compile only.
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.material3

import androidx.compose.foundation.layout.RowScope
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.TextStyle

private fun standIn(): Nothing = throw UnsupportedOperationException("compile-time stand-in")

class Typography {
    val headlineSmall: TextStyle
        get() = standIn()
}

object MaterialTheme {
    val typography: Typography
        @Composable get() = standIn()
}

@Composable
fun MaterialTheme(content: @Composable () -> Unit): Unit = standIn()

@Composable
fun Surface(modifier: Modifier = Modifier, content: @Composable () -> Unit): Unit = standIn()

@Composable
fun Text(text: String, modifier: Modifier = Modifier, style: TextStyle = TextStyle()): Unit = standIn()

@Composable
fun Button(
    onClick: () -> Unit,
    modifier: Modifier = Modifier,
    enabled: Boolean = true,
    content: @Composable RowScope.() -> Unit,
): Unit = standIn()

@Composable
fun OutlinedTextField(
    value: String,
    onValueChange: (String) -> Unit,
    modifier: Modifier = Modifier,
    enabled: Boolean = true,
    readOnly: Boolean = false,
    textStyle: TextStyle = TextStyle(),
    label: @Composable (() -> Unit)? = null,
    placeholder: @Composable (() -> Unit)? = null,
    singleLine: Boolean = false,
    maxLines: Int = if (singleLine) 1 else Int.MAX_VALUE,
    minLines: Int = 1,
): Unit = standIn()
