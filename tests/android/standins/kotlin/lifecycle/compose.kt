// Stand-in for androidx.lifecycle.viewmodel.compose.viewModel, lifecycle-viewmodel-compose 2.10.0
// (lifecycle/lifecycle-viewmodel-compose/src/commonMain/kotlin/androidx/lifecycle/viewmodel/compose/
// ViewModel.kt); its parameters all have defaults. Compile only.
package androidx.lifecycle.viewmodel.compose

import androidx.compose.runtime.Composable
import androidx.lifecycle.ViewModel

@Composable
inline fun <reified VM : ViewModel> viewModel(): VM =
    throw UnsupportedOperationException("compile-time stand-in: ${VM::class}")
