import Foundation

/// Everything that can go wrong while preparing inputs, running MobileNet V2
/// or decoding its outputs.
public enum MobileNetV2Error: Error, Sendable, Equatable, LocalizedError {
    /// An image's pixel buffer does not hold `width × height × 4` RGBA bytes.
    case invalidPixelCount(expected: Int, actual: Int)
    /// An image has a size other than the one the pre-processing was declared for.
    case invalidImageSize(expectedWidth: Int, expectedHeight: Int, actualWidth: Int, actualHeight: Int)
    /// A tensor's element count does not match the product of its shape.
    case invalidTensorShape(shape: [Int], elementCount: Int)
    /// A tensor given for a model feature has a shape other than the declared one.
    case unexpectedShape(feature: String, expected: [Int], actual: [Int])
    /// A classification output has a different number of values than labels.
    case labelCountMismatch(labels: Int, values: Int)
    /// `topK` was negative.
    case invalidTopK(Int)
    /// An EXIF orientation outside 1...8.
    case invalidOrientation(UInt32)
    /// The model resource is missing from the package's bundle.
    case modelResourceMissing(name: String)
    /// Core ML could not compile or load the model.
    case modelLoadingFailed(reason: String)
    /// An image could not be converted to RGBA pixels.
    case imageConversionFailed(reason: String)
    /// Core ML failed while running the model.
    case predictionFailed(reason: String)
    /// The model did not produce an output the SDK expects, or produced it with another type.
    case missingOutput(feature: String)

    /// A sentence that says what went wrong and what to check.
    public var errorDescription: String? {
        switch self {
        case let .invalidPixelCount(expected, actual):
            return "Expected \(expected) RGBA bytes, got \(actual)."
        case let .invalidImageSize(expectedWidth, expectedHeight, actualWidth, actualHeight):
            return "Expected a \(expectedWidth)×\(expectedHeight) image, got \(actualWidth)×\(actualHeight); resize it first."
        case let .invalidTensorShape(shape, elementCount):
            return "A tensor of shape \(shape) needs \(shape.reduce(1, *)) elements, got \(elementCount)."
        case let .unexpectedShape(feature, expected, actual):
            return "Feature '\(feature)' expects shape \(expected), got \(actual)."
        case let .labelCountMismatch(labels, values):
            return "The classification output has \(values) values but \(labels) labels."
        case let .invalidTopK(value):
            return "topK must be zero or positive, got \(value)."
        case let .invalidOrientation(value):
            return "An EXIF orientation is 1 to 8 (CGImagePropertyOrientation), got \(value)."
        case let .modelResourceMissing(name):
            return "The model resource '\(name)' is not in the package bundle; re-add the package."
        case let .modelLoadingFailed(reason):
            return "Core ML could not load the model: \(reason)"
        case let .imageConversionFailed(reason):
            return "The image could not be converted to RGBA pixels: \(reason)"
        case let .predictionFailed(reason):
            return "Core ML failed to run the model: \(reason)"
        case let .missingOutput(feature):
            return "The model did not return the multi-array output '\(feature)'."
        }
    }
}
