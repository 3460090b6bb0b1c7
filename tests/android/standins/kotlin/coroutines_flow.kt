// Stand-ins for org.jetbrains.kotlinx:kotlinx-coroutines-core 1.10: the cold Flow API
// (Kotlin/kotlinx.coroutines kotlinx-coroutines-core/common/src/flow/{Flow.kt, FlowCollector.kt,
// Builders.kt, operators/Context.kt}) and the context helpers of common/src/{CoroutineScope.kt,
// Job.kt} (currentCoroutineContext, CoroutineContext.ensureActive). Compile only.
package kotlinx.coroutines.flow

import kotlin.coroutines.CoroutineContext

private fun standIn(): Nothing = throw UnsupportedOperationException("compile-time stand-in")

interface Flow<out T> {
    suspend fun collect(collector: FlowCollector<T>)
}

fun interface FlowCollector<in T> {
    suspend fun emit(value: T)
}

fun <T> flow(block: suspend FlowCollector<T>.() -> Unit): Flow<T> = standIn()

fun <T> Flow<T>.flowOn(context: CoroutineContext): Flow<T> = standIn()
