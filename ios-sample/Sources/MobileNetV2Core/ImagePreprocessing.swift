import Foundation

/// Which pixel channels feed the model, and in which order.
public enum MobileNetV2ColorOrder: String, Sendable, CaseIterable {
    /// Red, green, blue.
    case rgb
    /// Blue, green, red.
    case bgr
    /// One luma channel, `0.299 R + 0.587 G + 0.114 B`.
    case grayscale
}

/// How the channels of an image tensor are laid out in memory (batch size 1).
public enum MobileNetV2TensorLayout: String, Sendable, CaseIterable {
    /// Channel planes: `[1, channels, height, width]`.
    case nchw
    /// Interleaved channels: `[1, height, width, channels]`.
    case nhwc
}

/// Turns a photo of any size into the normalized model input tensor: the resize contract
/// (``MobileNetV2ImageResize``) brings it to the model's input size, then each pixel is normalized.
///
/// For each pixel and model channel `c` the value is `(Float(pixel[c]) * scale - mean[c]) / std[c]`,
/// computed in `Float` exactly as sdkgen's Python reference does, so both give the same tensor.
public struct MobileNetV2ImagePreprocessing: Sendable, Equatable {
    /// The input width in pixels.
    public let width: Int
    /// The input height in pixels.
    public let height: Int
    /// The channels the model reads.
    public let color: MobileNetV2ColorOrder
    /// The memory layout of the tensor.
    public let layout: MobileNetV2TensorLayout
    /// The factor applied to each 0–255 channel value first.
    public let scale: Float
    /// The value subtracted from each channel after scaling, one per model channel.
    public let mean: [Float]
    /// The divisor of each channel after subtracting the mean, one per model channel.
    public let std: [Float]
    /// How a photo of another size is brought to `width` × `height`.
    public let resize: MobileNetV2ResizeMode
    /// `centerCrop` only: the photo's shorter side is first resized to this many pixels.
    public let resizeShorter: Int?
    /// `letterbox` only: red, green and blue of the padding.
    public let fill: [UInt8]

    /// Creates a pre-processing description.
    ///
    /// `scale`, `mean` and `std` are given as written in the model definition and rounded once to
    /// `Float`, exactly as the Python reference rounds them to `float32`.
    public init(width: Int, height: Int, color: MobileNetV2ColorOrder, layout: MobileNetV2TensorLayout, scale: Double, mean: [Double], std: [Double],
                resize: MobileNetV2ResizeMode = .stretch, resizeShorter: Int? = nil, fill: [UInt8] = [0, 0, 0]) {
        self.resize = resize
        self.resizeShorter = resizeShorter
        self.fill = fill
        self.width = width
        self.height = height
        self.color = color
        self.layout = layout
        self.scale = Float(scale)
        self.mean = mean.map(Float.init)
        self.std = std.map(Float.init)
    }

    /// The number of model channels: 1 for grayscale, otherwise 3.
    public var channels: Int { color == .grayscale ? 1 : 3 }

    /// The shape of the tensor ``tensor(from:)`` returns.
    public var shape: [Int] {
        switch layout {
        case .nchw: return [1, channels, height, width]
        case .nhwc: return [1, height, width, channels]
        }
    }

    /// A photo of any size (RGBA8, not premultiplied, upright) brought to the model's input size
    /// by the resize contract.
    /// - Throws: ``MobileNetV2Error/invalidImageSize(expectedWidth:expectedHeight:actualWidth:actualHeight:)``
    ///   for a photo larger than ``MobileNetV2ImageResize/maximumSide`` on a side.
    public func modelPixels(from photo: MobileNetV2RGBAImage) throws -> MobileNetV2RGBAImage {
        try MobileNetV2ImageResize.resize(photo, width: width, height: height, mode: resize, resizeShorter: resizeShorter, fill: fill)
    }

    /// The model input tensor of a photo of any size: ``modelPixels(from:)``, then ``tensor(from:)``.
    public func tensor(fromPhoto photo: MobileNetV2RGBAImage) throws -> MobileNetV2Tensor<Float> {
        try tensor(from: modelPixels(from: photo))
    }

    /// Normalizes an image that already has the model's input size.
    /// - Throws: ``MobileNetV2Error/invalidImageSize(expectedWidth:expectedHeight:actualWidth:actualHeight:)``
    ///   when the image has another size.
    public func tensor(from image: MobileNetV2RGBAImage) throws -> MobileNetV2Tensor<Float> {
        guard image.width == width, image.height == height else {
            throw MobileNetV2Error.invalidImageSize(
                expectedWidth: width, expectedHeight: height,
                actualWidth: image.width, actualHeight: image.height
            )
        }
        let planeSize = width * height
        var values = [Float](repeating: 0, count: planeSize * channels)
        image.pixels.withUnsafeBufferPointer { pixels in
            for pixelIndex in 0..<planeSize {
                let base = pixelIndex * 4
                for channel in 0..<channels {
                    let raw = channelValue(pixels, base: base, channel: channel)
                    let value = (raw * scale - mean[channel]) / std[channel]
                    switch layout {
                    case .nchw: values[channel * planeSize + pixelIndex] = value
                    case .nhwc: values[pixelIndex * channels + channel] = value
                    }
                }
            }
        }
        return try MobileNetV2Tensor(shape: shape, scalars: values)
    }

    private func channelValue(_ pixels: UnsafeBufferPointer<UInt8>, base: Int, channel: Int) -> Float {
        switch color {
        case .rgb:
            return Float(pixels[base + channel])
        case .bgr:
            return Float(pixels[base + 2 - channel])
        case .grayscale:
            // Summed left to right in Double, then rounded once to Float, like the reference.
            let red = Double(pixels[base]) * 0.299
            let green = Double(pixels[base + 1]) * 0.587
            let blue = Double(pixels[base + 2]) * 0.114
            return Float((red + green) + blue)
        }
    }
}
