#if canImport(CoreML)
import CoreGraphics
import CoreVideo
import Foundation
import VideoToolbox
import MobileNetV2Core

extension RGBAImage {
    /// Draws `image` stretched to `width` × `height` with high-quality interpolation and reads
    /// its pixels as RGBA8, top row first.
    ///
    /// Core Graphics draws into premultiplied RGBA; the colour of translucent pixels is divided
    /// by alpha again afterwards, so opaque images come out exact and translucent ones within
    /// rounding.
    /// - Throws: ``MobileNetV2Error/imageConversionFailed(reason:)``.
    public init(resizing image: CGImage, width: Int, height: Int) throws {
        let bytesPerRow = width * 4
        var pixels = [UInt8](repeating: 0, count: bytesPerRow * height)
        let colorSpace = CGColorSpaceCreateDeviceRGB()
        let drawn = pixels.withUnsafeMutableBytes { buffer -> Bool in
            guard let context = CGContext(
                data: buffer.baseAddress,
                width: width,
                height: height,
                bitsPerComponent: 8,
                bytesPerRow: bytesPerRow,
                space: colorSpace,
                bitmapInfo: CGImageAlphaInfo.premultipliedLast.rawValue
            ) else {
                return false
            }
            context.interpolationQuality = .high
            context.draw(image, in: CGRect(x: 0, y: 0, width: width, height: height))
            return true
        }
        guard drawn else {
            throw MobileNetV2Error.imageConversionFailed(reason: "no RGBA bitmap context of \(width)×\(height) pixels")
        }
        for offset in stride(from: 0, to: pixels.count, by: 4) {
            let alpha = Int(pixels[offset + 3])
            guard alpha > 0, alpha < 255 else { continue }
            for channel in offset..<(offset + 3) {
                pixels[channel] = UInt8(min(255, (Int(pixels[channel]) * 255 + alpha / 2) / alpha))
            }
        }
        try self.init(width: width, height: height, pixels: pixels)
    }

    /// Converts a pixel buffer to an image with VideoToolbox, then resizes it like
    /// the `CGImage` initializer.
    /// - Throws: ``MobileNetV2Error/imageConversionFailed(reason:)``.
    public init(resizing pixelBuffer: CVPixelBuffer, width: Int, height: Int) throws {
        var image: CGImage?
        let status = VTCreateCGImageFromCVPixelBuffer(pixelBuffer, options: nil, imageOut: &image)
        guard status == 0, let image else {
            throw MobileNetV2Error.imageConversionFailed(reason: "VideoToolbox could not read the pixel buffer (OSStatus \(status))")
        }
        try self.init(resizing: image, width: width, height: height)
    }
}
#endif
