// Stand-in for androidx.compose.ui.graphics.ImageBitmap and Bitmap.asImageBitmap
// (compose/ui/ui-graphics/src/androidMain/kotlin/androidx/compose/ui/graphics/AndroidImageBitmap.android.kt).
package androidx.compose.ui.graphics

import android.graphics.Bitmap

interface ImageBitmap

fun Bitmap.asImageBitmap(): ImageBitmap = throw UnsupportedOperationException("compile-time stand-in")
