// Stand-ins for org.jetbrains.kotlinx:kotlinx-coroutines-core 1.10 (kotlinx-coroutines-core/common/
// src/sync/Mutex.kt: interface Mutex, the factory `fun Mutex(locked: Boolean = false): Mutex` and
// `suspend inline fun <T> Mutex.withLock(owner: Any? = null, action: () -> T): T`). Compile only.
package kotlinx.coroutines.sync

private fun standIn(): Nothing = throw UnsupportedOperationException("compile-time stand-in")

interface Mutex {
    val isLocked: Boolean

    suspend fun lock(owner: Any? = null)

    fun unlock(owner: Any? = null)
}

fun Mutex(locked: Boolean = false): Mutex = standIn()

suspend inline fun <T> Mutex.withLock(owner: Any? = null, action: () -> T): T {
    lock(owner)
    try {
        return action()
    } finally {
        unlock(owner)
    }
}
