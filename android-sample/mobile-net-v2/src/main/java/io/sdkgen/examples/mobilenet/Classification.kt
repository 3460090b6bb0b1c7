package io.sdkgen.examples.mobilenet

/**
 * One class of a classification result.
 *
 * @property index position of the class in the model output.
 * @property label the class label, exactly as written in the labels file.
 * @property probability the class probability (softmax of the output when the model declares it,
 *   otherwise the raw output value).
 */
public data class Classification(
    val index: Int,
    val label: String,
    val probability: Float,
)
