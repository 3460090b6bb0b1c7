package io.sdkgen.examples.mobilenet

/**
 * The MobileNet V2 model could not be installed, loaded or run.
 *
 * The message says which step failed; [cause] holds the underlying error of the file system or
 * the ExecuTorch runtime.
 */
public class MobileNetV2Exception(message: String, cause: Throwable? = null) :
    Exception(message, cause)
