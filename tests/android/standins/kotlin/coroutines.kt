// Stand-ins for org.jetbrains.kotlinx:kotlinx-coroutines-core 1.10 (Kotlin/kotlinx.coroutines
// kotlinx-coroutines-core/common/src/{CoroutineScope.kt, Builders.common.kt, CoroutineDispatcher.kt,
// Job.kt, Delay.kt} and jvm/src/Dispatchers.kt). Compile only.
package kotlinx.coroutines

import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext

private fun standIn(): Nothing = throw UnsupportedOperationException("compile-time stand-in")

interface CoroutineScope {
    val coroutineContext: CoroutineContext
}

interface Job : CoroutineContext.Element {
    fun cancel(cause: CancellationException? = null)

    fun invokeOnCompletion(handler: (cause: Throwable?) -> Unit): DisposableHandle
}

fun interface DisposableHandle {
    fun dispose()
}

typealias CancellationException = java.util.concurrent.CancellationException

enum class CoroutineStart { DEFAULT, LAZY, ATOMIC, UNDISPATCHED }

abstract class CoroutineDispatcher :
    AbstractCoroutineContextElement(ContinuationInterceptor), ContinuationInterceptor

object Dispatchers {
    @JvmStatic
    val Default: CoroutineDispatcher
        get() = standIn()

    @JvmStatic
    val IO: CoroutineDispatcher
        get() = standIn()
}

fun CoroutineScope.launch(
    context: CoroutineContext = EmptyCoroutineContext,
    start: CoroutineStart = CoroutineStart.DEFAULT,
    block: suspend CoroutineScope.() -> Unit,
): Job = standIn()

suspend fun awaitCancellation(): Nothing = standIn()

suspend fun <T> withContext(context: CoroutineContext, block: suspend CoroutineScope.() -> T): T = standIn()
