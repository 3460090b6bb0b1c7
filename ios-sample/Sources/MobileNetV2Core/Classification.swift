import Foundation

/// One class of a classification result.
public struct MobileNetV2Classification: Sendable, Hashable {
    /// The class index in the model output.
    public let index: Int
    /// The class label, exactly as in the model definition's labels file.
    public let label: String
    /// The probability (after softmax, when the model definition asks for it) or the raw score.
    public let probability: Float

    /// Creates a classification entry.
    public init(index: Int, label: String, probability: Float) {
        self.index = index
        self.label = label
        self.probability = probability
    }
}

/// Decodes a classification output into the most probable labelled classes.
public struct MobileNetV2ClassificationDecoder: Sendable, Equatable {
    /// One label per output value, in output order.
    public let labels: [String]
    /// Whether the output holds logits that need a softmax.
    public let appliesSoftmax: Bool
    /// The number of classes returned when no `topK` is given.
    public let defaultTopK: Int

    /// Creates a decoder.
    public init(labels: [String], appliesSoftmax: Bool, defaultTopK: Int) {
        self.labels = labels
        self.appliesSoftmax = appliesSoftmax
        self.defaultTopK = defaultTopK
    }

    /// The `topK` most probable classes, most probable first; ties go to the lower index.
    /// - Throws: ``MobileNetV2Error/labelCountMismatch(labels:values:)`` or
    ///   ``MobileNetV2Error/invalidTopK(_:)``.
    public func decode(_ output: [Float], topK: Int? = nil) throws -> [MobileNetV2Classification] {
        let k = topK ?? defaultTopK
        guard k >= 0 else { throw MobileNetV2Error.invalidTopK(k) }
        guard output.count == labels.count else {
            throw MobileNetV2Error.labelCountMismatch(labels: labels.count, values: output.count)
        }
        let probabilities = appliesSoftmax ? Self.softmax(output) : output
        let order = probabilities.indices.sorted { lhs, rhs in
            probabilities[lhs] != probabilities[rhs] ? probabilities[lhs] > probabilities[rhs] : lhs < rhs
        }
        return order.prefix(k).map { MobileNetV2Classification(index: $0, label: labels[$0], probability: probabilities[$0]) }
    }

    /// Softmax computed in `Double` with the maximum subtracted, then rounded to `Float`.
    public static func softmax(_ logits: [Float]) -> [Float] {
        let values = logits.map(Double.init)
        guard let maximum = values.max() else { return [] }
        let exponentials = values.map { exp($0 - maximum) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { Float($0 / sum) }
    }
}
