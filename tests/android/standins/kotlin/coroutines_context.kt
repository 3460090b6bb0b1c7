// Stand-ins for org.jetbrains.kotlinx:kotlinx-coroutines-core 1.10 (kotlinx-coroutines-core/common/
// src/CoroutineScope.kt: `suspend inline fun currentCoroutineContext(): CoroutineContext`; Job.kt:
// `fun CoroutineContext.ensureActive()`). Compile only.
package kotlinx.coroutines

import kotlin.coroutines.CoroutineContext

private fun standIn(): Nothing = throw UnsupportedOperationException("compile-time stand-in")

suspend fun currentCoroutineContext(): CoroutineContext = standIn()

fun CoroutineContext.ensureActive(): Unit = standIn()

// jvm/src/Builders.kt: `actual fun <T> runBlocking(context: CoroutineContext = EmptyCoroutineContext,
// block: suspend CoroutineScope.() -> T): T`.
fun <T> runBlocking(
    context: CoroutineContext = kotlin.coroutines.EmptyCoroutineContext,
    block: suspend CoroutineScope.() -> T,
): T = standIn()
