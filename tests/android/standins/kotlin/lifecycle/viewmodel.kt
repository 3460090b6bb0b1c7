// Stand-ins for androidx.lifecycle 2.10.0 (androidx/androidx lifecycle/lifecycle-viewmodel/src/
// commonMain/kotlin/androidx/lifecycle/{ViewModel.kt, ViewModel.kt viewModelScope} and
// src/androidMain/kotlin/androidx/lifecycle/AndroidViewModel.android.kt). Compile only.
package androidx.lifecycle

import android.app.Application
import kotlinx.coroutines.CoroutineScope

abstract class ViewModel {
    protected open fun onCleared() {}
}

open class AndroidViewModel(private val application: Application) : ViewModel() {
    @Suppress("UNCHECKED_CAST")
    open fun <T : Application> getApplication(): T = application as T
}

val ViewModel.viewModelScope: CoroutineScope
    get() = throw UnsupportedOperationException("compile-time stand-in")
