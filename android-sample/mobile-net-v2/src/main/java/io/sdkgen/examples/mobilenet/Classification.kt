package io.sdkgen.examples.mobilenet

/**
 * One class of a classification result.
 *
 * A plain class rather than a `data class`, so that adding a property later does not break
 * binary compatibility (no `componentN`/`copy` in the API); it still compares by value.
 *
 * @property index position of the class in the model output.
 * @property label the class label, exactly as written in the labels file.
 * @property probability the class probability (softmax of the output when the model declares it,
 *   otherwise the raw output value).
 */
public class Classification(
    public val index: Int,
    public val label: String,
    public val probability: Float,
) {
    override fun equals(other: Any?): Boolean =
        other is Classification && other.index == index && other.label == label &&
            other.probability.compareTo(probability) == 0

    override fun hashCode(): Int = (31 * index + label.hashCode()) * 31 + probability.hashCode()

    override fun toString(): String = "Classification(index=$index, label=$label, probability=$probability)"
}
