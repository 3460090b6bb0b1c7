#if canImport(CoreML)
import CoreML
import Foundation
import XCTest
import MobileNetV2
import MobileNetV2TestSupport

/// Runs the real Core ML model (macOS or an iOS simulator/device) on the golden inputs and
/// compares its outputs with the eager PyTorch outputs within the definition's `model_atol`.
final class MobileNetV2ModelTests: XCTestCase {
    func testCoreMLOutputsMatchGoldenOutputs() async throws {
        let vectors = try GoldenVectors(bundle: .module)
        // CPU only: the reference for parity; other compute units may round differently.
        let model = try await MobileNetV2(computeUnits: .cpuOnly)
        let modelAtol = Float(vectors.manifest.tolerance.modelAtol)
        for goldenCase in vectors.manifest.cases {
            let outputs = try await model.predict(inputs(of: goldenCase, in: vectors))
            let logitsFiles = try XCTUnwrap(goldenCase.outputs[MobileNetV2Metadata.logitsFeatureName])
            assertClose(outputs.logits.scalars, try vectors.floats(logitsFiles.tensor), atol: modelAtol, "\(goldenCase.name) logits")
        }
    }

    func testConcurrentPredictionsAgree() async throws {
        let vectors = try GoldenVectors(bundle: .module)
        let goldenCase = try XCTUnwrap(vectors.manifest.cases.first)
        let inputs = try inputs(of: goldenCase, in: vectors)
        let model = try await MobileNetV2(computeUnits: .cpuOnly)
        let expected = try await model.predict(inputs)
        try await withThrowingTaskGroup(of: MobileNetV2Outputs.self) { group in
            for _ in 0..<8 {
                group.addTask { try await model.predict(inputs) }
            }
            for try await outputs in group {
                XCTAssertEqual(outputs, expected)
            }
        }
    }

    private func inputs(of goldenCase: GoldenManifest.Case, in vectors: GoldenVectors) throws -> MobileNetV2Inputs {
        let imageFiles = try XCTUnwrap(goldenCase.inputs[MobileNetV2Metadata.imageFeatureName])
        let imagePreprocessing = MobileNetV2Metadata.imagePreprocessing
        let image = try imagePreprocessing.tensor(fromPhoto: MobileNetV2RGBAImage(
            width: XCTUnwrap(imageFiles.width),
            height: XCTUnwrap(imageFiles.height),
            pixels: vectors.bytes(imageFiles.raw)
        ))
        return try MobileNetV2Inputs(image: image)
    }

    private func assertClose(_ actual: [Float], _ expected: [Float], atol: Float, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, "\(what): element count", file: file, line: line)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, atol, "\(what): largest difference", file: file, line: line)
    }
}
#endif
