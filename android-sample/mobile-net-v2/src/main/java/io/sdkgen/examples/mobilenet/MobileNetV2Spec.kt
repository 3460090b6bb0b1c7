package io.sdkgen.examples.mobilenet

/**
 * What the MobileNet V2 model expects and returns: tensor shapes,
 * pre-processing and labels.
 *
 * Plain Kotlin with no Android dependency: the pre- and post-processing here run, and are tested
 * against the golden vectors, on the JVM.
 */
public object MobileNetV2Spec {
    /** Display name of the model. */
    public const val DISPLAY_NAME: String = "MobileNet V2"

    /** Version of this SDK. */
    public const val VERSION: String = "1.0.0"

    /** File name of the ExecuTorch program among the SDK's assets. */
    public const val MODEL_ASSET: String = "mobile_net_v2.pte"

    /** Shape of the `image` input tensor (float32). */
    public val imageShape: List<Long> = listOf(1L, 3L, 224L, 224L)

    /** Pre-processing of the `image` image input. */
    public val imagePreprocessing: ImagePreprocessing = ImagePreprocessing(
        width = 224,
        height = 224,
        color = ColorOrder.RGB,
        layout = TensorLayout.NCHW,
        scale = 0.003921569f,
        mean = floatArrayOf(0.485f, 0.456f, 0.406f),
        std = floatArrayOf(0.229f, 0.224f, 0.225f),
        resizeMode = ResizeMode.CENTER_CROP,
        resizeShorter = 256,
        fill = 0x000000,
    )

    /** Shape of the `logits` output tensor (float32). */
    public val logitsShape: List<Long> = listOf(1L, 1000L)

    /**
     * Labels of the `logits` output, one per class, in class order (1000 labels,
     * read once from the resource `logits.labels` beside this class: too many for a source literal).
     */
    public val logitsLabels: List<String> by lazy { readLabels("logits.labels", 1000) }

    /** Whether the `logits` output holds logits that need a softmax. */
    public const val LOGITS_SOFTMAX: Boolean = true

    /** Default number of classes [decodeLogits] returns. */
    public const val LOGITS_TOP_K: Int = 5

    /**
     * Decodes the `logits` output into its [topK] most probable classes.
     *
     * @param output the raw output tensor, one value per label.
     * @param topK how many classes to return, most probable first.
     */
    @JvmStatic
    @JvmOverloads
    public fun decodeLogits(
        output: FloatArray,
        topK: Int = LOGITS_TOP_K,
    ): List<Classification> = Postprocessing.classify(
        output,
        logitsLabels,
        LOGITS_SOFTMAX,
        topK,
    )

    /** Reads a labels resource: an int32 count, then per label an int32 byte length and UTF-8 bytes. */
    private fun readLabels(resource: String, expected: Int): List<String> {
        val stream = checkNotNull(MobileNetV2Spec::class.java.getResourceAsStream(resource)) {
            "the labels resource $resource is missing from the SDK"
        }
        return java.io.DataInputStream(stream.buffered()).use { input ->
            val count = input.readInt()
            check(count == expected) { "$resource holds $count labels, expected $expected" }
            List(count) {
                val bytes = ByteArray(input.readInt())
                input.readFully(bytes)
                String(bytes, Charsets.UTF_8)
            }
        }
    }
}
