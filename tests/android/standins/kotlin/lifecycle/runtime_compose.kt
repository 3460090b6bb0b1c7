// Stand-in for androidx.lifecycle.compose.LocalLifecycleOwner, lifecycle-runtime-compose 2.10.0
// (lifecycle/lifecycle-runtime-compose/src/commonMain/kotlin/androidx/lifecycle/compose/
// LocalLifecycleOwner.kt). Compile only.
package androidx.lifecycle.compose

import androidx.compose.runtime.ProvidableCompositionLocal
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.lifecycle.LifecycleOwner

val LocalLifecycleOwner: ProvidableCompositionLocal<LifecycleOwner> = staticCompositionLocalOf()
