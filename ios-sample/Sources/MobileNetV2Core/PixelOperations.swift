import Foundation

extension MobileNetV2RGBAImage {
    /// The image turned upright: `exifOrientation` says how the stored pixels relate to the
    /// intended display orientation, as the EXIF/TIFF orientation tag does (1 to 8, the raw values
    /// of `CGImagePropertyOrientation`; a camera frame of a portrait iPhone is 6, `.right`).
    ///
    /// Orientations 5 to 8 swap width and height. Pixels are moved, never interpolated, so the
    /// result is exact.
    /// - Throws: ``MobileNetV2Error/invalidOrientation(_:)`` for a value outside 1...8.
    public func oriented(exifOrientation: UInt32) throws -> MobileNetV2RGBAImage {
        guard (1...8).contains(exifOrientation) else {
            throw MobileNetV2Error.invalidOrientation(exifOrientation)
        }
        if exifOrientation == 1 {
            return self
        }
        let swapsAxes = exifOrientation >= 5
        let outWidth = swapsAxes ? height : width
        let outHeight = swapsAxes ? width : height
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        // (sx, sy): the stored pixel shown at (x, y) of the upright image.
                        let sx: Int
                        let sy: Int
                        switch exifOrientation {
                        case 2: (sx, sy) = (width - 1 - x, y)
                        case 3: (sx, sy) = (width - 1 - x, height - 1 - y)
                        case 4: (sx, sy) = (x, height - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, height - 1 - x)
                        case 7: (sx, sy) = (width - 1 - y, height - 1 - x)
                        default: (sx, sy) = (width - 1 - y, x)  // 8
                        }
                        let from = (sy * width + sx) * 4
                        let to = (y * outWidth + x) * 4
                        for channel in 0..<4 {
                            target[to + channel] = source[from + channel]
                        }
                    }
                }
            }
        }
        return try MobileNetV2RGBAImage(width: outWidth, height: outHeight, pixels: out)
    }

    /// Creates an image from premultiplied RGBA8 pixels (what Core Graphics bitmap contexts hold),
    /// dividing the colour of each translucent pixel by its alpha, rounded to nearest.
    ///
    /// Opaque pixels come out unchanged; a fully transparent pixel keeps colour 0. Premultiplying
    /// loses precision at low alpha, which no division recovers.
    /// - Throws: ``MobileNetV2Error/invalidPixelCount(expected:actual:)``.
    public init(width: Int, height: Int, premultipliedPixels: [UInt8]) throws {
        var pixels = premultipliedPixels
        for offset in stride(from: 0, to: pixels.count - pixels.count % 4, by: 4) {
            let alpha = Int(pixels[offset + 3])
            guard alpha > 0, alpha < 255 else { continue }
            for channel in offset..<(offset + 3) {
                pixels[channel] = UInt8(min(255, (Int(pixels[channel]) * 255 + alpha / 2) / alpha))
            }
        }
        try self.init(width: width, height: height, pixels: pixels)
    }
}
