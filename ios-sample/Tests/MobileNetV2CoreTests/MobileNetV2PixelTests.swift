import Foundation
import XCTest
import MobileNetV2Core
import MobileNetV2TestSupport

/// Checks the pure pixel operations the Core ML layer applies to photos and camera frames before
/// pre-processing: turning an image upright and undoing Core Graphics' premultiplied alpha.
final class MobileNetV2PixelTests: XCTestCase {
    /// A 3×2 image whose pixel `i` (row-major) has red `i`, green `10 + i`, blue `20 + i`, alpha 255.
    private func numberedImage() throws -> MobileNetV2RGBAImage {
        var pixels: [UInt8] = []
        for index in 0..<6 {
            let value = UInt8(index)
            pixels += [value, 10 + value, 20 + value, 255]
        }
        return try MobileNetV2RGBAImage(width: 3, height: 2, pixels: pixels)
    }

    func testOrientationTurnsImagesUprightLikeImageIO() throws {
        // The upright pixels of the stored 3×2 image [[0, 1, 2], [3, 4, 5]] for each
        // CGImagePropertyOrientation (ImageIO's documentation of each case says how to turn the
        // stored image upright, e.g. `.right`: rotate 90° clockwise).
        let expected: [UInt32: (width: Int, order: [Int])] = [
            1: (3, [0, 1, 2, 3, 4, 5]),
            2: (3, [2, 1, 0, 5, 4, 3]),
            3: (3, [5, 4, 3, 2, 1, 0]),
            4: (3, [3, 4, 5, 0, 1, 2]),
            5: (2, [0, 3, 1, 4, 2, 5]),
            6: (2, [3, 0, 4, 1, 5, 2]),
            7: (2, [5, 2, 4, 1, 3, 0]),
            8: (2, [2, 5, 1, 4, 0, 3]),
        ]
        let image = try numberedImage()
        for (orientation, upright) in expected {
            let oriented = try image.oriented(exifOrientation: orientation)
            XCTAssertEqual(oriented.width, upright.width, "orientation \(orientation)")
            XCTAssertEqual(oriented.height, 6 / upright.width, "orientation \(orientation)")
            let reds = stride(from: 0, to: oriented.pixels.count, by: 4).map { Int(oriented.pixels[$0]) }
            XCTAssertEqual(reds, upright.order, "orientation \(orientation)")
            for index in 0..<6 {
                let pixel = Array(oriented.pixels[(index * 4)..<(index * 4 + 4)])
                let source = UInt8(upright.order[index])
                let expectedPixel: [UInt8] = [source, 10 + source, 20 + source, 255]
                XCTAssertEqual(pixel, expectedPixel, "orientation \(orientation)")
            }
        }
        XCTAssertThrowsError(try image.oriented(exifOrientation: 0))
        XCTAssertThrowsError(try image.oriented(exifOrientation: 9))
    }

    func testPremultipliedGoldenPixelsOfImageComeBack() throws {
        let vectors = try GoldenVectors(bundle: .module)
        for goldenCase in vectors.manifest.cases {
            let files = try XCTUnwrap(goldenCase.inputs[MobileNetV2Metadata.imageFeatureName])
            let raw = try vectors.bytes(files.raw)
            // What a premultiplied Core Graphics bitmap holds: colour × alpha / 255, rounded.
            var premultiplied = raw
            for offset in stride(from: 0, to: raw.count, by: 4) {
                let alpha = Int(raw[offset + 3])
                for channel in offset..<(offset + 3) {
                    premultiplied[channel] = UInt8((Int(raw[channel]) * alpha + 127) / 255)
                }
            }
            let image = try MobileNetV2RGBAImage(width: XCTUnwrap(files.width), height: XCTUnwrap(files.height), premultipliedPixels: premultiplied)
            for offset in stride(from: 0, to: raw.count, by: 4) {
                let alpha = Int(raw[offset + 3])
                XCTAssertEqual(image.pixels[offset + 3], raw[offset + 3])
                guard alpha > 0 else { continue }
                // Premultiplying rounds to 1/alpha of a step; dividing again cannot do better.
                let bound = 127.5 / Double(alpha) + 0.5
                for channel in offset..<(offset + 3) {
                    let error = abs(Double(image.pixels[channel]) - Double(raw[channel]))
                    XCTAssertLessThanOrEqual(error, bound, "\(goldenCase.name) byte \(channel), alpha \(alpha)")
                    if alpha == 255 {
                        XCTAssertEqual(image.pixels[channel], raw[channel])
                    }
                }
            }
        }
    }
}
