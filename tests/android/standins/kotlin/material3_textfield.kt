// Stand-in for androidx.compose.material3 (compose-bom 2026.04.01) OutlinedTextField.kt: the
// String overload `OutlinedTextField(value, onValueChange, modifier, enabled, readOnly, textStyle,
// label, ...)`, with the parameters the generated sample passes by name. Compile only.
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.material3

import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier

@Composable
fun OutlinedTextField(
    value: String,
    onValueChange: (String) -> Unit,
    modifier: Modifier = Modifier,
    enabled: Boolean = true,
    readOnly: Boolean = false,
    label: @Composable (() -> Unit)? = null,
): Unit = throw UnsupportedOperationException("compile-time stand-in")
