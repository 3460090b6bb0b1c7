package io.sdkgen.examples.mobilenet

/** How the runtime reads the model file. */
public enum class LoadMode {
    /** Read the whole file into memory. */
    FILE,

    /** Memory-map the file: pages load on demand and can be dropped under memory pressure (default). */
    MEMORY_MAP,

    /** Memory-map the file and lock its pages in memory where the system allows (`mlock`). */
    MEMORY_MAP_LOCKED,
}

/**
 * Options of [MobileNetV2.create].
 *
 * @property threads number of CPU threads inference may use; `0` lets the runtime choose (one per
 *   performance core).
 * @property loadMode how the model file is read; [LoadMode.MEMORY_MAP] by default.
 */
public class MobileNetV2Options @JvmOverloads constructor(
    public val threads: Int = 0,
    public val loadMode: LoadMode = LoadMode.MEMORY_MAP,
) {
    init {
        require(threads >= 0) { "threads must be 0 (runtime default) or more, got $threads" }
    }

    override fun toString(): String = "MobileNetV2Options(threads=$threads, loadMode=$loadMode)"
}
