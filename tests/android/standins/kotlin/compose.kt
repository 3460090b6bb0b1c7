// Stand-ins for the Jetpack Compose pieces the sample uses, compose-bom 2026.04.01
// (androidx/androidx compose/runtime/runtime/src/commonMain/kotlin/androidx/compose/runtime/
// {Composable.kt, Composables.kt, Effects.kt, SnapshotState.kt, SnapshotMutationPolicy.kt},
// compose/ui/ui/.../{Modifier.kt, platform/AndroidCompositionLocals.android.kt,
// res/StringResources.android.kt, graphics/AndroidImageBitmap.android.kt, unit/Dp.kt},
// compose/foundation/foundation(-layout)/.../{Image.kt, Column.kt, Row.kt, Arrangement.kt,
// Size.kt, Padding.kt}, compose/material3/material3/.../{Button.kt, Text.kt, Surface.kt,
// MaterialTheme.kt, Typography.kt}). Only the parameters the sample passes; the rest have
// defaults in the real API too. Compile only: without the Compose compiler plugin, @Composable
// is a plain annotation here.
@file:Suppress("UNUSED_PARAMETER")

package androidx.compose.runtime

import kotlin.reflect.KProperty
import kotlinx.coroutines.CoroutineScope

private fun standIn(): Nothing = throw UnsupportedOperationException("compile-time stand-in")

@MustBeDocumented
@Retention(AnnotationRetention.BINARY)
@Target(
    AnnotationTarget.FUNCTION,
    AnnotationTarget.TYPE,
    AnnotationTarget.TYPE_PARAMETER,
    AnnotationTarget.PROPERTY_GETTER,
)
annotation class Composable

@Target(AnnotationTarget.FUNCTION, AnnotationTarget.PROPERTY_GETTER, AnnotationTarget.TYPE)
@Retention(AnnotationRetention.BINARY)
annotation class DisallowComposableCalls

interface State<out T> {
    val value: T
}

interface MutableState<T> : State<T> {
    override var value: T
}

@Suppress("NOTHING_TO_INLINE")
inline operator fun <T> State<T>.getValue(thisObj: Any?, property: KProperty<*>): T = value

@Suppress("NOTHING_TO_INLINE")
inline operator fun <T> MutableState<T>.setValue(thisObj: Any?, property: KProperty<*>, value: T) {
    this.value = value
}

fun <T> mutableStateOf(value: T): MutableState<T> = standIn()

@Composable
inline fun <T> remember(crossinline calculation: @DisallowComposableCalls () -> T): T = calculation()

@Composable
fun rememberCoroutineScope(): CoroutineScope = standIn()

@Composable
fun LaunchedEffect(key1: Any?, block: suspend CoroutineScope.() -> Unit): Unit = standIn()

class DisposableEffectScope {
    inline fun onDispose(crossinline onDisposeEffect: () -> Unit): DisposableEffectResult =
        object : DisposableEffectResult {
            override fun dispose() {
                onDisposeEffect()
            }
        }
}

interface DisposableEffectResult {
    fun dispose()
}

@Composable
fun DisposableEffect(key1: Any?, effect: DisposableEffectScope.() -> DisposableEffectResult): Unit = standIn()

abstract class CompositionLocal<T> internal constructor() {
    @Suppress("UNCHECKED_CAST")
    val current: T
        @Composable get() = standIn()
}

class ProvidableCompositionLocal<T> internal constructor() : CompositionLocal<T>()

fun <T> staticCompositionLocalOf(): ProvidableCompositionLocal<T> = ProvidableCompositionLocal()

abstract class CompositionContext internal constructor()
