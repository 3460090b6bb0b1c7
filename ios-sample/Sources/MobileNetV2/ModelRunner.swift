#if canImport(CoreML)
import CoreML
import Foundation
import MobileNetV2Core

/// Owns the loaded `MLModel` and the two ways of running it: Core ML's `async` prediction, which
/// suspends instead of blocking a thread of the cooperative pool, and the synchronous prediction
/// for callers on their own threads (camera callbacks), serialised by a lock.
///
/// `@unchecked Sendable`: the model is never replaced after loading, and every use of it outside
/// the `async` prediction holds `lock`.
final class ModelRunner: @unchecked Sendable {
    private let model: MLModel
    private let lock = NSLock()

    init(model: MLModel) {
        self.model = model
    }

    /// Runs the model with Core ML's `async` prediction (iOS 17), without blocking a thread.
    func predict(_ inputs: MobileNetV2Inputs, options: MLPredictionOptions) async throws -> MobileNetV2Outputs {
        let result: any MLFeatureProvider
        do {
            result = try await model.prediction(from: features(of: inputs), options: options)
        } catch let error as MobileNetV2Error {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw MobileNetV2Error.predictionFailed(reason: error.localizedDescription)
        }
        return try outputs(of: result)
    }

    /// Runs the model on the calling thread; concurrent callers wait for each other.
    func predictSynchronously(_ inputs: MobileNetV2Inputs, options: MLPredictionOptions) throws -> MobileNetV2Outputs {
        let features = try features(of: inputs)
        let result: any MLFeatureProvider
        do {
            result = try lock.withLock { try model.prediction(from: features, options: options) }
        } catch {
            throw MobileNetV2Error.predictionFailed(reason: error.localizedDescription)
        }
        return try outputs(of: result)
    }

    /// Calls `body` with the model while holding the lock.
    func withModel<Result: Sendable>(_ body: @Sendable (MLModel) throws -> Result) rethrows -> Result {
        try lock.withLock { try body(model) }
    }

    private func features(of inputs: MobileNetV2Inputs) throws -> MLDictionaryFeatureProvider {
        do {
            return try MLDictionaryFeatureProvider(dictionary: [
                MobileNetV2Metadata.imageFeatureName: MLFeatureValue(multiArray: multiArray(from: inputs.image)),
            ])
        } catch {
            throw MobileNetV2Error.predictionFailed(reason: error.localizedDescription)
        }
    }

    private func outputs(of result: any MLFeatureProvider) throws -> MobileNetV2Outputs {
        MobileNetV2Outputs(
            logits: try tensor(named: MobileNetV2Metadata.logitsFeatureName, in: result)
        )
    }
}

/// Copies a tensor into a new `MLMultiArray` of the same shape.
private func multiArray<Scalar: MLShapedArrayScalar & Sendable & Equatable>(from tensor: MobileNetV2Tensor<Scalar>) -> MLMultiArray {
    MLMultiArray(MLShapedArray<Scalar>(scalars: tensor.scalars, shape: tensor.shape))
}

/// Reads a multi-array output as 32-bit floats, whatever its Core ML data type.
private func tensor(named name: String, in provider: any MLFeatureProvider) throws -> MobileNetV2Tensor<Float> {
    guard let array = provider.featureValue(for: name)?.multiArrayValue else {
        throw MobileNetV2Error.missingOutput(feature: name)
    }
    let values = MLShapedArray<Float>(converting: array)
    return try MobileNetV2Tensor(shape: values.shape, scalars: values.scalars)
}
#endif
