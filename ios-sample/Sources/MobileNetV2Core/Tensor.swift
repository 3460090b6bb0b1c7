import Foundation

/// A dense tensor in row-major order: the plain-Swift form of a model input or output.
public struct MobileNetV2Tensor<Scalar: Sendable & Equatable>: Sendable, Equatable {
    /// The size of each dimension, outermost first.
    public let shape: [Int]
    /// The elements in row-major (C) order; `scalars.count` is the product of `shape`.
    public let scalars: [Scalar]

    /// Creates a tensor, checking that `scalars` fills `shape` exactly.
    /// - Throws: ``MobileNetV2Error/invalidTensorShape(shape:elementCount:)`` when it does not.
    public init(shape: [Int], scalars: [Scalar]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == scalars.count else {
            throw MobileNetV2Error.invalidTensorShape(shape: shape, elementCount: scalars.count)
        }
        self.shape = shape
        self.scalars = scalars
    }
}

/// An image as 8-bit RGBA pixels, row-major, top row first, not premultiplied.
public struct MobileNetV2RGBAImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width × height × 4` bytes: red, green, blue, alpha for each pixel.
    public let pixels: [UInt8]

    /// Creates an image, checking that `pixels` holds exactly `width × height × 4` bytes.
    /// - Throws: ``MobileNetV2Error/invalidPixelCount(expected:actual:)`` when it does not.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        let expected = max(0, width) * max(0, height) * 4
        guard width > 0, height > 0, pixels.count == expected else {
            throw MobileNetV2Error.invalidPixelCount(expected: expected, actual: pixels.count)
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
