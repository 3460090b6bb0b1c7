// Stand-ins for androidx.activity:activity-compose 1.13.0 (androidx/androidx activity/activity/src/
// main/java/androidx/activity/{ComponentActivity.kt, result/ActivityResultLauncher.kt,
// result/PickVisualMediaRequest.kt, result/contract/ActivityResultContract.kt,
// result/contract/ActivityResultContracts.kt} and activity/activity-compose/src/main/java/
// androidx/activity/compose/{ComponentActivity.kt, ActivityResultRegistry.kt}). Compile only.
@file:Suppress("UNUSED_PARAMETER")

package androidx.activity

import android.app.Activity

open class ComponentActivity : Activity()

// EdgeToEdge.kt (activity 1.8+): fun ComponentActivity.enableEdgeToEdge(statusBarStyle:
// SystemBarStyle = SystemBarStyle.auto(...), navigationBarStyle: SystemBarStyle = ...)
class SystemBarStyle private constructor() {
    companion object {
        fun auto(lightScrim: Int, darkScrim: Int): SystemBarStyle = SystemBarStyle()
    }
}

fun ComponentActivity.enableEdgeToEdge(
    statusBarStyle: SystemBarStyle = SystemBarStyle.auto(0, 0),
    navigationBarStyle: SystemBarStyle = SystemBarStyle.auto(0, 0),
) {}
