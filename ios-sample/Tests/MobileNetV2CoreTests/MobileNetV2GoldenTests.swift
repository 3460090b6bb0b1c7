import Foundation
import XCTest
import MobileNetV2Core
import MobileNetV2TestSupport

/// Checks the Swift pre- and post-processing against the golden vectors computed by sdkgen's
/// Python reference: the same tensors within `tensor_atol`, the same classes and labels in the
/// same order, probabilities within `probability_atol`.
final class MobileNetV2GoldenTests: XCTestCase {
    private func loadVectors() throws -> GoldenVectors {
        try GoldenVectors(bundle: .module)
    }

    func testManifestDescribesThisSDK() throws {
        let manifest = try loadVectors().manifest
        XCTAssertEqual(manifest.model, MobileNetV2Metadata.displayName)
        XCTAssertEqual(manifest.inputs.map(\.featureName), [MobileNetV2Metadata.imageFeatureName])
        XCTAssertEqual(manifest.outputs.map(\.featureName), [MobileNetV2Metadata.logitsFeatureName])
        XCTAssertEqual(manifest.inputs[0].shape, MobileNetV2Metadata.imageShape)
        let imageImage = try XCTUnwrap(manifest.inputs[0].image)
        let imagePreprocessing = MobileNetV2Metadata.imagePreprocessing
        XCTAssertEqual(imageImage.width, imagePreprocessing.width)
        XCTAssertEqual(imageImage.height, imagePreprocessing.height)
        XCTAssertEqual(imageImage.color, imagePreprocessing.color.rawValue)
        XCTAssertEqual(imageImage.layout, imagePreprocessing.layout.rawValue)
        XCTAssertEqual(Float(imageImage.scale), imagePreprocessing.scale)
        XCTAssertEqual(imageImage.mean.map(Float.init), imagePreprocessing.mean)
        XCTAssertEqual(imageImage.std.map(Float.init), imagePreprocessing.std)
        XCTAssertEqual(imageImage.resize, imagePreprocessing.resize.rawValue)
        XCTAssertEqual(imageImage.resizeShorter, imagePreprocessing.resizeShorter)
        XCTAssertEqual(imageImage.fill, imagePreprocessing.fill.map(Int.init))
        XCTAssertEqual(imagePreprocessing.shape, MobileNetV2Metadata.imageShape)
        XCTAssertEqual(manifest.outputs[0].shape, MobileNetV2Metadata.logitsShape)
    }

    func testLabelsOfLogitsRoundTripExactly() throws {
        let manifest = try loadVectors().manifest
        let feature = try XCTUnwrap(manifest.outputs.first { $0.featureName == MobileNetV2Metadata.logitsFeatureName })
        let expected = try XCTUnwrap(feature.classification)
        let decoder = MobileNetV2Metadata.logitsDecoder
        // Unicode scalars, not String equality: the labels must come back byte for byte.
        XCTAssertEqual(decoder.labels.map { Array($0.unicodeScalars) }, expected.labels.map { Array($0.unicodeScalars) })
        XCTAssertEqual(decoder.appliesSoftmax, expected.softmax)
        XCTAssertEqual(decoder.defaultTopK, expected.topK)
    }

    func test_case_0_preprocessing() throws {
        try checkPreprocessing(caseName: "case_0")
    }

    func test_case_0_decoding() throws {
        try checkDecoding(caseName: "case_0")
    }

    func test_case_1_preprocessing() throws {
        try checkPreprocessing(caseName: "case_1")
    }

    func test_case_1_decoding() throws {
        try checkDecoding(caseName: "case_1")
    }

    func test_case_2_preprocessing() throws {
        try checkPreprocessing(caseName: "case_2")
    }

    func test_case_2_decoding() throws {
        try checkDecoding(caseName: "case_2")
    }

    func test_case_3_preprocessing() throws {
        try checkPreprocessing(caseName: "case_3")
    }

    func test_case_3_decoding() throws {
        try checkDecoding(caseName: "case_3")
    }

    private func checkPreprocessing(caseName: String) throws {
        let vectors = try loadVectors()
        let goldenCase = try vectors.goldenCase(named: caseName)
        let tensorAtol = Float(vectors.manifest.tolerance.tensorAtol)
        let imageFiles = try XCTUnwrap(goldenCase.inputs[MobileNetV2Metadata.imageFeatureName])
        let imagePreprocessing = MobileNetV2Metadata.imagePreprocessing
        // The raw photo at its own size: the resize contract is part of what is checked.
        let imagePhoto = try MobileNetV2RGBAImage(
            width: XCTUnwrap(imageFiles.width),
            height: XCTUnwrap(imageFiles.height),
            pixels: vectors.bytes(imageFiles.raw)
        )
        let imageTensor = try imagePreprocessing.tensor(fromPhoto: imagePhoto)
        XCTAssertEqual(imageTensor.shape, MobileNetV2Metadata.imageShape)
        assertClose(imageTensor.scalars, try vectors.floats(imageFiles.tensor), atol: tensorAtol, "\(caseName) image")
    }

    private func checkDecoding(caseName: String) throws {
        let vectors = try loadVectors()
        let goldenCase = try vectors.goldenCase(named: caseName)
        let probabilityAtol = Float(vectors.manifest.tolerance.probabilityAtol)
        let logitsFiles = try XCTUnwrap(goldenCase.outputs[MobileNetV2Metadata.logitsFeatureName])
        let logitsExpected = try XCTUnwrap(logitsFiles.decoded)
        let logitsDecoded = try MobileNetV2Metadata.logitsDecoder.decode(
            try vectors.floats(logitsFiles.tensor), topK: logitsExpected.count
        )
        XCTAssertEqual(logitsDecoded.map(\.index), logitsExpected.map(\.index))
        XCTAssertEqual(logitsDecoded.map { Array($0.label.unicodeScalars) }, logitsExpected.map { Array($0.label.unicodeScalars) })
        for (actual, expected) in zip(logitsDecoded, logitsExpected) {
            XCTAssertEqual(actual.probability, Float(expected.probability), accuracy: probabilityAtol, "\(caseName) class \(expected.index)")
        }
    }

    private func assertClose(_ actual: [Float], _ expected: [Float], atol: Float, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, "\(what): element count", file: file, line: line)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, atol, "\(what): largest difference", file: file, line: line)
    }
}
