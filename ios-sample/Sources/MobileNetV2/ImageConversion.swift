#if canImport(CoreML)
import CoreGraphics
import CoreVideo
import Foundation
import ImageIO
import VideoToolbox
import MobileNetV2Core

extension MobileNetV2RGBAImage {
    /// Reads every pixel of `image` at its own size, in the sRGB colour space, turned upright:
    /// the raw photo the resize contract starts from.
    ///
    /// Images in other colour spaces (Display P3 photos, for example) are converted to sRGB, the
    /// colour space models are trained in. Core Graphics draws into premultiplied RGBA; the colour
    /// of translucent pixels is divided by alpha again afterwards, so opaque images come out exact
    /// and translucent ones within rounding. Nothing is resampled here.
    /// - Parameter orientation: How the image's pixels relate to the upright image.
    /// - Throws: ``MobileNetV2Error/imageConversionFailed(reason:)``, or
    ///   ``MobileNetV2Error/invalidImageSize(expectedWidth:expectedHeight:actualWidth:actualHeight:)``
    ///   for an image larger than ``MobileNetV2ImageResize/maximumSide`` on a side (decode
    ///   large photos smaller, for example with `CGImageSourceCreateThumbnailAtIndex`).
    public init(_ image: CGImage, orientation: CGImagePropertyOrientation = .up) throws {
        let width = image.width
        let height = image.height
        let maximum = MobileNetV2ImageResize.maximumSide
        guard width <= maximum, height <= maximum else {
            throw MobileNetV2Error.invalidImageSize(
                expectedWidth: min(width, maximum), expectedHeight: min(height, maximum),
                actualWidth: width, actualHeight: height
            )
        }
        let bytesPerRow = width * 4
        var pixels = [UInt8](repeating: 0, count: bytesPerRow * height)
        guard let colorSpace = CGColorSpace(name: CGColorSpace.sRGB) else {
            throw MobileNetV2Error.imageConversionFailed(reason: "no sRGB colour space")
        }
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
            // Pixel for pixel: the image is drawn at its own size, so nothing is interpolated.
            context.interpolationQuality = .none
            context.draw(image, in: CGRect(x: 0, y: 0, width: width, height: height))
            return true
        }
        guard drawn else {
            throw MobileNetV2Error.imageConversionFailed(reason: "no RGBA bitmap context of \(width)×\(height) pixels")
        }
        self = try MobileNetV2RGBAImage(width: width, height: height, premultipliedPixels: pixels)
            .oriented(exifOrientation: orientation.rawValue)
    }

    /// Reads a camera or video frame with VideoToolbox, then like the `CGImage` initializer.
    /// - Parameter orientation: How the frame's pixels relate to the upright image (`.right` for
    ///   the back camera of a portrait iPhone).
    /// - Throws: ``MobileNetV2Error/imageConversionFailed(reason:)``.
    public init(_ pixelBuffer: CVPixelBuffer, orientation: CGImagePropertyOrientation) throws {
        var image: CGImage?
        let status = VTCreateCGImageFromCVPixelBuffer(pixelBuffer, options: nil, imageOut: &image)
        guard status == 0, let image else {
            throw MobileNetV2Error.imageConversionFailed(reason: "VideoToolbox could not read the pixel buffer (OSStatus \(status))")
        }
        try self.init(image, orientation: orientation)
    }
}
#endif
