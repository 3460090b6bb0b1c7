#if canImport(CoreML)
import CoreGraphics
import CoreML
import CoreVideo
import Foundation
import ImageIO
@_exported import MobileNetV2Core

/// Runs MobileNet V2 with Core ML.
///
/// ```swift
/// let classifier = try await MobileNetV2()
/// let classes = try await classifier.classify(cgImage, topK: 3)
/// ```
///
/// The model is loaded once and shared: one instance serves any number of tasks and threads.
/// The `async` methods use Core ML's asynchronous prediction, so a prediction never blocks a thread
/// of Swift's cooperative pool, and they honour task cancellation. The synchronous `…Synchronously`
/// methods are for threads you own, such as the queue of an `AVCaptureVideoDataOutput`; they run
/// one at a time. Image conversion runs on the caller's task or thread, never on the actor.
public actor MobileNetV2 {
    /// The compute units the model definition asks for.
    public static let defaultComputeUnits: MLComputeUnits = .all

    private nonisolated let runner: ModelRunner

    /// Loads the model with Core ML's asynchronous loader, compiling it first when the package
    /// carries no compiled copy and none is cached yet (README.md, "How the model ships").
    ///
    /// - Parameter computeUnits: The processing units Core ML may use.
    /// - Throws: ``MobileNetV2Error/modelResourceMissing(name:)`` or
    ///   ``MobileNetV2Error/modelLoadingFailed(reason:)``.
    public init(computeUnits: MLComputeUnits = MobileNetV2.defaultComputeUnits) async throws {
        let compiledModelURL = try await CompiledModelCache.compiledModelURL()
        let configuration = MLModelConfiguration()
        configuration.computeUnits = computeUnits
        let model: MLModel
        do {
            model = try await MLModel.load(contentsOf: compiledModelURL, configuration: configuration)
        } catch {
            throw MobileNetV2Error.modelLoadingFailed(reason: error.localizedDescription)
        }
        runner = ModelRunner(model: model)
    }

    /// Runs the model on already pre-processed inputs with Core ML's asynchronous prediction.
    ///
    /// - Parameter options: Core ML prediction options, for example output backings.
    /// - Throws: ``MobileNetV2Error/predictionFailed(reason:)``,
    ///   ``MobileNetV2Error/missingOutput(feature:)`` or `CancellationError`.
    public nonisolated func predict(
        _ inputs: MobileNetV2Inputs, options: MLPredictionOptions = MLPredictionOptions()
    ) async throws -> MobileNetV2Outputs {
        try await runner.predict(inputs, options: options)
    }

    /// Runs the model on already pre-processed inputs on the calling thread, for threads you own
    /// (never call it from the main thread or a task: it blocks until the prediction is done).
    ///
    /// - Parameter options: Core ML prediction options, for example output backings.
    /// - Throws: ``MobileNetV2Error/predictionFailed(reason:)`` or
    ///   ``MobileNetV2Error/missingOutput(feature:)``.
    public nonisolated func predictSynchronously(
        _ inputs: MobileNetV2Inputs, options: MLPredictionOptions = MLPredictionOptions()
    ) throws -> MobileNetV2Outputs {
        try runner.predictSynchronously(inputs, options: options)
    }

    /// Calls `body` with the underlying `MLModel`, for work the typed API does not cover (for
    /// example your own `MLMultiArray` inputs). Synchronous predictions wait while `body` runs.
    ///
    /// `body` is `@Sendable`, so it can be written anywhere, including on the main actor; keep the
    /// model inside it and return only `Sendable` values built from its results.
    public func withModel<Result: Sendable>(_ body: @Sendable (MLModel) throws -> Result) rethrows -> Result {
        try runner.withModel(body)
    }

    /// The most probable classes of an image that already has the model's input size.
    /// - Parameters:
    ///   - topK: How many classes to return; 5 when `nil`.
    ///   - options: Core ML prediction options.
    public nonisolated func classify(
        _ image: MobileNetV2RGBAImage, topK: Int? = nil, options: MLPredictionOptions = MLPredictionOptions()
    ) async throws -> [MobileNetV2Classification] {
        let tensor = try MobileNetV2Metadata.imagePreprocessing.tensor(from: image)
        let outputs = try await predict(MobileNetV2Inputs(image: tensor), options: options)
        return try outputs.logitsClasses(topK: topK)
    }

    /// The most probable classes of an image of any size; it is turned upright and brought to
    /// 224×224 pixels by the resize contract (center_crop) first.
    /// - Parameters:
    ///   - orientation: How the image's pixels relate to the upright image; `.up` when they are.
    ///   - topK: How many classes to return; 5 when `nil`.
    public nonisolated func classify(
        _ image: CGImage, orientation: CGImagePropertyOrientation = .up, topK: Int? = nil
    ) async throws -> [MobileNetV2Classification] {
        let pixels = try Self.imagePixels(from: image, orientation: orientation)
        return try await classify(pixels, topK: topK)
    }

    /// The most probable classes of a camera or video frame; it is turned upright and brought to
    /// 224×224 pixels by the resize contract (center_crop) first.
    ///
    /// The frame is converted before this method suspends, so the caller may reuse the buffer
    /// as soon as the call returns. From an `AVCaptureVideoDataOutput` delegate callback use
    /// ``classifySynchronously(_:orientation:topK:)``: a `CVPixelBuffer` cannot be sent to a task.
    /// - Parameters:
    ///   - orientation: How the frame's pixels relate to the upright image (`.right` for the back
    ///     camera of a portrait iPhone).
    ///   - topK: How many classes to return; 5 when `nil`.
    public nonisolated func classify(
        _ pixelBuffer: CVPixelBuffer, orientation: CGImagePropertyOrientation, topK: Int? = nil
    ) async throws -> [MobileNetV2Classification] {
        let pixels = try Self.imagePixels(from: pixelBuffer, orientation: orientation)
        return try await classify(pixels, topK: topK)
    }

    /// Classifies a camera frame on the calling thread: the entry point for
    /// `captureOutput(_:didOutput:from:)` of an `AVCaptureVideoDataOutputSampleBufferDelegate`,
    /// which runs synchronously on the capture queue and cannot hand its non-`Sendable`
    /// `CVPixelBuffer` to a task. Safe to call from several threads at once; predictions run one
    /// at a time. Do not call it on the main thread: it blocks until the prediction is done.
    /// - Parameters:
    ///   - orientation: How the frame's pixels relate to the upright image (`.right` for the back
    ///     camera of a portrait iPhone).
    ///   - topK: How many classes to return; 5 when `nil`.
    public nonisolated func classifySynchronously(
        _ pixelBuffer: CVPixelBuffer, orientation: CGImagePropertyOrientation, topK: Int? = nil
    ) throws -> [MobileNetV2Classification] {
        let pixels = try Self.imagePixels(from: pixelBuffer, orientation: orientation)
        let tensor = try MobileNetV2Metadata.imagePreprocessing.tensor(from: pixels)
        let outputs = try predictSynchronously(MobileNetV2Inputs(image: tensor))
        return try outputs.logitsClasses(topK: topK)
    }

    /// Reads `image` upright at full size and brings it to the image input size
    /// by the resize contract (center_crop).
    /// - Parameter orientation: How the stored pixels relate to the upright image; `.up` for an
    ///   image that is already upright.
    public nonisolated static func imagePixels(
        from image: CGImage, orientation: CGImagePropertyOrientation = .up
    ) throws -> MobileNetV2RGBAImage {
        try MobileNetV2Metadata.imagePreprocessing.modelPixels(from: MobileNetV2RGBAImage(image, orientation: orientation))
    }

    /// Reads a camera or video frame upright and brings it to the image input size
    /// by the resize contract (center_crop).
    /// - Parameter orientation: How the frame's pixels relate to the upright image (`.right` for
    ///   the back camera of a portrait iPhone).
    public nonisolated static func imagePixels(
        from pixelBuffer: CVPixelBuffer, orientation: CGImagePropertyOrientation
    ) throws -> MobileNetV2RGBAImage {
        try MobileNetV2Metadata.imagePreprocessing.modelPixels(from: MobileNetV2RGBAImage(pixelBuffer, orientation: orientation))
    }

    /// The pre-processed image input tensor of an image of any size.
    public nonisolated static func imageTensor(
        from image: CGImage, orientation: CGImagePropertyOrientation = .up
    ) throws -> MobileNetV2Tensor<Float> {
        try MobileNetV2Metadata.imagePreprocessing.tensor(from: imagePixels(from: image, orientation: orientation))
    }
}

#endif
