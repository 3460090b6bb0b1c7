#if canImport(CoreML)
import CoreGraphics
import CoreML
import CoreVideo
import Foundation
@_exported import MobileNetV2Core

/// Runs MobileNet V2 with Core ML.
///
/// ```swift
/// let classifier = try await MobileNetV2()
/// let classes = try await classifier.classify(cgImage, topK: 3)
/// ```
///
/// The model is loaded once and owned by this actor, so concurrent tasks can share one instance:
/// their predictions run one after another on the actor, while image conversion runs outside it.
public actor MobileNetV2 {
    /// The compute units the model definition asks for.
    public static let defaultComputeUnits: MLComputeUnits = .all

    private let model: MLModel

    /// Loads the model, compiling it the first time and reusing the compiled copy afterwards.
    ///
    /// - Parameter computeUnits: The processing units Core ML may use.
    /// - Throws: ``MobileNetV2Error/modelResourceMissing(name:)`` or
    ///   ``MobileNetV2Error/modelLoadingFailed(reason:)``.
    public init(computeUnits: MLComputeUnits = MobileNetV2.defaultComputeUnits) async throws {
        let compiledModelURL = try await CompiledModelCache.compiledModelURL()
        let configuration = MLModelConfiguration()
        configuration.computeUnits = computeUnits
        do {
            model = try MLModel(contentsOf: compiledModelURL, configuration: configuration)
        } catch {
            throw MobileNetV2Error.modelLoadingFailed(reason: error.localizedDescription)
        }
    }

    /// Runs the model on already pre-processed inputs.
    /// - Throws: ``MobileNetV2Error/predictionFailed(reason:)`` or
    ///   ``MobileNetV2Error/missingOutput(feature:)``.
    public func predict(_ inputs: MobileNetV2Inputs) throws -> MobileNetV2Outputs {
        let features: MLDictionaryFeatureProvider
        let result: any MLFeatureProvider
        do {
            features = try MLDictionaryFeatureProvider(dictionary: [
                MobileNetV2Metadata.imageFeatureName: MLFeatureValue(multiArray: multiArray(from: inputs.image)),
            ])
            result = try model.prediction(from: features)
        } catch {
            throw MobileNetV2Error.predictionFailed(reason: error.localizedDescription)
        }
        return MobileNetV2Outputs(
            logits: try tensor(named: MobileNetV2Metadata.logitsFeatureName, in: result)
        )
    }

    /// Calls `body` with the underlying `MLModel` on this actor, for work the typed API does not
    /// cover (for example your own `MLMultiArray` inputs or `MLPredictionOptions`).
    ///
    /// Keep the model inside `body`: return only `Sendable` values built from its results.
    public func withModel<Result: Sendable>(_ body: (MLModel) throws -> Result) rethrows -> Result {
        try body(model)
    }

    /// The most probable classes of an image that already has the model's input size.
    /// - Parameter topK: How many classes to return; 5 when `nil`.
    public func classify(_ image: RGBAImage, topK: Int? = nil) throws -> [Classification] {
        let tensor = try MobileNetV2Metadata.imagePreprocessing.tensor(from: image)
        let outputs = try predict(MobileNetV2Inputs(image: tensor))
        return try outputs.logitsClasses(topK: topK)
    }

    /// The most probable classes of an image of any size; it is stretched to
    /// 224×224 pixels first.
    /// - Parameter topK: How many classes to return; 5 when `nil`.
    public nonisolated func classify(_ image: CGImage, topK: Int? = nil) async throws -> [Classification] {
        let pixels = try Self.imagePixels(from: image)
        return try await classify(pixels, topK: topK)
    }

    /// The most probable classes of a camera or video frame; it is stretched to
    /// 224×224 pixels first.
    /// - Parameter topK: How many classes to return; 5 when `nil`.
    public nonisolated func classify(_ pixelBuffer: CVPixelBuffer, topK: Int? = nil) async throws -> [Classification] {
        let pixels = try RGBAImage(resizing: pixelBuffer, width: 224, height: 224)
        return try await classify(pixels, topK: topK)
    }

    /// Resizes `image` to the image input size and reads its RGBA pixels.
    public nonisolated static func imagePixels(from image: CGImage) throws -> RGBAImage {
        try RGBAImage(resizing: image, width: 224, height: 224)
    }

    /// The pre-processed image input tensor of an image of any size.
    public nonisolated static func imageTensor(from image: CGImage) throws -> Tensor<Float> {
        try MobileNetV2Metadata.imagePreprocessing.tensor(from: imagePixels(from: image))
    }
}

/// Copies a tensor into a new `MLMultiArray` of the same shape.
private func multiArray<Scalar: MLShapedArrayScalar & Sendable & Equatable>(from tensor: Tensor<Scalar>) -> MLMultiArray {
    MLMultiArray(MLShapedArray<Scalar>(scalars: tensor.scalars, shape: tensor.shape))
}

/// Reads a multi-array output as 32-bit floats, whatever its Core ML data type.
private func tensor(named name: String, in provider: any MLFeatureProvider) throws -> Tensor<Float> {
    guard let array = provider.featureValue(for: name)?.multiArrayValue else {
        throw MobileNetV2Error.missingOutput(feature: name)
    }
    let values = MLShapedArray<Float>(converting: array)
    return try Tensor(shape: values.shape, scalars: values.scalars)
}
#endif
