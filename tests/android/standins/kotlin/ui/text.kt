// Stand-in for androidx.compose.ui.text.TextStyle (compose/ui/ui-text/.../TextStyle.kt).
package androidx.compose.ui.text

class TextStyle
