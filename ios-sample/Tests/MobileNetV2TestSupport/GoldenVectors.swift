import Foundation

/// The golden vectors sdkgen wrote for MobileNet V2: a `manifest.json` plus
/// raw little-endian binaries (format `sdkgen-golden`, version 1).
public struct GoldenVectors: Sendable {
    /// The parsed `manifest.json`.
    public let manifest: GoldenManifest
    /// The folder holding the manifest and the binaries.
    public let directory: URL

    /// Loads the `golden` folder that a test target copies into its resource bundle.
    public init(bundle: Bundle) throws {
        guard let directory = bundle.url(forResource: "golden", withExtension: nil) else {
            throw GoldenVectorsError.missingFolder
        }
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        let manifest = try JSONDecoder().decode(GoldenManifest.self, from: data)
        guard manifest.format == "sdkgen-golden", manifest.formatVersion == 2 else {
            throw GoldenVectorsError.unsupportedFormat("\(manifest.format) \(manifest.formatVersion)")
        }
        self.manifest = manifest
        self.directory = directory
    }

    /// The case named `name`.
    public func goldenCase(named name: String) throws -> GoldenManifest.Case {
        guard let found = manifest.cases.first(where: { $0.name == name }) else {
            throw GoldenVectorsError.missingCase(name)
        }
        return found
    }

    /// The bytes of a binary file of the folder.
    public func bytes(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(file)))
    }

    /// A `float32` tensor file.
    public func floats(_ file: String) throws -> [Float] {
        try words(file, width: 4).map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
    }

    /// An `int32` tensor file.
    public func int32s(_ file: String) throws -> [Int32] {
        try words(file, width: 4).map { Int32(bitPattern: UInt32(truncatingIfNeeded: $0)) }
    }

    /// An `int64` tensor file.
    public func int64s(_ file: String) throws -> [Int64] {
        try words(file, width: 8).map { Int64(bitPattern: $0) }
    }

    private func words(_ file: String, width: Int) throws -> [UInt64] {
        let raw = try bytes(file)
        guard raw.count % width == 0 else { throw GoldenVectorsError.truncatedFile(file) }
        return stride(from: 0, to: raw.count, by: width).map { start in
            (0..<width).reduce(UInt64(0)) { word, byte in word | UInt64(raw[start + byte]) << (8 * byte) }
        }
    }
}

/// Why golden vectors could not be read.
public enum GoldenVectorsError: Error, Sendable, CustomStringConvertible {
    /// The test bundle has no `golden` folder.
    case missingFolder
    /// The manifest has another format or version.
    case unsupportedFormat(String)
    /// The manifest has no case of this name.
    case missingCase(String)
    /// A binary's size is not a multiple of its element size.
    case truncatedFile(String)

    /// What went wrong.
    public var description: String {
        switch self {
        case .missingFolder: return "no golden folder in the test bundle"
        case let .unsupportedFormat(format): return "unsupported golden format \(format)"
        case let .missingCase(name): return "no golden case named \(name)"
        case let .truncatedFile(file): return "\(file) is not a whole number of elements"
        }
    }
}

/// `manifest.json` of the golden vectors (docs/golden-format.md in sdkgen).
public struct GoldenManifest: Decodable, Sendable {
    /// Always `sdkgen-golden`.
    public let format: String
    /// The format version.
    public let formatVersion: Int
    /// The model's display name.
    public let model: String
    /// The allowed differences between languages and runtimes.
    public let tolerance: Tolerance
    /// The model inputs, in definition order.
    public let inputs: [Feature]
    /// The model outputs, in definition order.
    public let outputs: [Feature]
    /// The examples.
    public let cases: [Case]

    private enum CodingKeys: String, CodingKey {
        case format, model, tolerance, inputs, outputs, cases
        case formatVersion = "format_version"
    }

    /// Allowed absolute differences.
    public struct Tolerance: Decodable, Sendable {
        /// Between pre-processed tensors.
        public let tensorAtol: Double
        /// Between decoded probabilities.
        public let probabilityAtol: Double
        /// Between an on-device runtime's outputs and the golden outputs.
        public let modelAtol: Double

        private enum CodingKeys: String, CodingKey {
            case tensorAtol = "tensor_atol"
            case probabilityAtol = "probability_atol"
            case modelAtol = "model_atol"
        }
    }

    /// An input or output as the model definition declares it.
    public struct Feature: Decodable, Sendable {
        /// The name in the model definition.
        public let name: String
        /// The feature name inside the model.
        public let featureName: String
        /// `image`, `tensor` or `classification`.
        public let kind: String
        /// The tensor shape.
        public let shape: [Int]
        /// `float32`, `int32` or `int64`.
        public let dtype: String
        /// The pre-processing of an image input.
        public let image: Image?
        /// The post-processing of a classification output.
        public let classification: ClassificationSpec?

        private enum CodingKeys: String, CodingKey {
            case name, kind, shape, dtype, image, classification
            case featureName = "feature_name"
        }
    }

    /// Image pre-processing.
    public struct Image: Decodable, Sendable {
        /// Width in pixels.
        public let width: Int
        /// Height in pixels.
        public let height: Int
        /// `rgb`, `bgr` or `grayscale`.
        public let color: String
        /// `nchw` or `nhwc`.
        public let layout: String
        /// Scale applied to 0–255 values.
        public let scale: Double
        /// Per-channel mean.
        public let mean: [Double]
        /// Per-channel standard deviation.
        public let std: [Double]
        /// `stretch`, `center_crop` or `letterbox`.
        public let resize: String
        /// `center_crop` only: the shorter side's size before cropping, or `nil`.
        public let resizeShorter: Int?
        /// `letterbox` only: red, green, blue of the padding.
        public let fill: [Int]

        private enum CodingKeys: String, CodingKey {
            case width, height, color, layout, scale, mean, std, resize, fill
            case resizeShorter = "resize_shorter"
        }
    }

    /// Classification post-processing.
    public struct ClassificationSpec: Decodable, Sendable {
        /// One label per output value.
        public let labels: [String]
        /// Whether a softmax is applied.
        public let softmax: Bool
        /// The default number of classes.
        public let topK: Int

        private enum CodingKeys: String, CodingKey {
            case labels, softmax
            case topK = "top_k"
        }
    }

    /// One example.
    public struct Case: Decodable, Sendable {
        /// The case name, e.g. `case_0`.
        public let name: String
        /// Where the example came from.
        public let source: String
        /// Files of each input, by feature name.
        public let inputs: [String: InputFiles]
        /// Files and decoded results of each output, by feature name.
        public let outputs: [String: OutputFiles]
    }

    /// The files of one input of a case.
    public struct InputFiles: Decodable, Sendable {
        /// The raw input (RGBA8 pixels for images).
        public let raw: String
        /// The pre-processed model input tensor.
        public let tensor: String
        /// The raw photo's width in pixels (image inputs only).
        public let width: Int?
        /// The raw photo's height in pixels (image inputs only).
        public let height: Int?
    }

    /// The files of one output of a case.
    public struct OutputFiles: Decodable, Sendable {
        /// The eager PyTorch output tensor.
        public let tensor: String
        /// The reference decoding of a classification output.
        public let decoded: [Decoded]?
    }

    /// One decoded class.
    public struct Decoded: Decodable, Sendable {
        /// The class index.
        public let index: Int
        /// The class label.
        public let label: String
        /// The probability, the shortest decimal of a float32.
        public let probability: Double
    }
}
