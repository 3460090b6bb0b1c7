package io.sdkgen.examples.mobilenet

import kotlin.math.exp

/**
 * Decoding of classification outputs: softmax, top-k and labels.
 *
 * Plain Kotlin with no Android dependency; mirrors the reference implementation of the SDK
 * generator, so results match the golden vectors shipped with this SDK.
 */
public object Postprocessing {
    /**
     * Softmax over all values, computed in `Double` with the maximum subtracted first and then
     * rounded to `Float`.
     *
     * @param logits the raw model output; must not be empty.
     * @return probabilities that sum to 1 (up to rounding), in the order of [logits].
     */
    public fun softmax(logits: FloatArray): FloatArray {
        require(logits.isNotEmpty()) { "softmax needs at least one value" }
        var max = Double.NEGATIVE_INFINITY
        for (value in logits) {
            max = maxOf(max, value.toDouble())
        }
        val exponentials = DoubleArray(logits.size) { exp(logits[it].toDouble() - max) }
        val sum = exponentials.sum()
        return FloatArray(logits.size) { (exponentials[it] / sum).toFloat() }
    }

    /**
     * The [k] most probable classes, most probable first; equal probabilities keep the lower
     * index first.
     *
     * @param probabilities one value per class.
     * @param labels one label per class, in class order.
     * @param k how many classes to return; values above the number of classes return them all
     *   and values below zero return none.
     * @throws IllegalArgumentException if there is not exactly one label per class.
     */
    public fun topK(probabilities: FloatArray, labels: List<String>, k: Int): List<Classification> {
        require(labels.size == probabilities.size) {
            "${labels.size} labels for an output of ${probabilities.size} values"
        }
        val order = probabilities.indices.sortedWith { first, second ->
            val a = probabilities[first]
            val b = probabilities[second]
            when {
                a > b -> -1
                a < b -> 1
                else -> first.compareTo(second)
            }
        }
        return order.take(k.coerceAtLeast(0)).map { Classification(it, labels[it], probabilities[it]) }
    }

    /**
     * Decodes a classification output: [softmax] when [applySoftmax] is true, then [topK].
     *
     * @param output the raw model output, one value per class.
     * @param labels one label per class, in class order.
     * @param applySoftmax whether the output holds logits that need a softmax.
     * @param k how many classes to return.
     */
    public fun classify(
        output: FloatArray,
        labels: List<String>,
        applySoftmax: Boolean,
        k: Int,
    ): List<Classification> = topK(if (applySoftmax) softmax(output) else output, labels, k)
}
