#if canImport(CoreML)
import CoreGraphics
import CoreVideo
import Foundation
import ImageIO
import XCTest
import MobileNetV2
import MobileNetV2TestSupport

/// The image paths apps call, on the golden photos: a `CGImage` (premultiplied by Core Graphics,
/// in sRGB or Display P3), a BGRA `CVPixelBuffer` and an orientation must give back the golden raw
/// pixels, and the golden tensor through the resize contract. Runs on macOS and iOS.
final class MobileNetV2ImagePathTests: XCTestCase {
    func testGoldenPhotosThroughCGImageOfImage() throws {
        let vectors = try GoldenVectors(bundle: .module)
        let tensorAtol = Float(vectors.manifest.tolerance.tensorAtol)
        for goldenCase in vectors.manifest.cases {
            let files = try XCTUnwrap(goldenCase.inputs[MobileNetV2Metadata.imageFeatureName])
            let raw = try vectors.bytes(files.raw)
            let width = try XCTUnwrap(files.width)
            let height = try XCTUnwrap(files.height)
            let image = try makeImage(raw, width: width, height: height, colorSpace: CGColorSpace.sRGB)
            let read = try MobileNetV2RGBAImage(image)
            XCTAssertEqual(read.width, width)
            XCTAssertEqual(read.height, height)
            assertPixels(read.pixels, match: raw, premultiplied: true, "\(goldenCase.name) CGImage")
            if raw.enumerated().allSatisfy({ $0.offset % 4 != 3 || $0.element == 255 }) {
                // Opaque photos come back exactly, so the whole path gives the golden tensor.
                let tensor = try MobileNetV2Metadata.imagePreprocessing.tensor(from: MobileNetV2.imagePixels(from: image))
                let expected = try vectors.floats(files.tensor)
                let worst = zip(tensor.scalars, expected).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, tensorAtol, "\(goldenCase.name) tensor from CGImage")
            }
        }
    }

    func testDisplayP3PhotosOfImageAreReadInSRGB() throws {
        let vectors = try GoldenVectors(bundle: .module)
        for goldenCase in vectors.manifest.cases {
            let files = try XCTUnwrap(goldenCase.inputs[MobileNetV2Metadata.imageFeatureName])
            let raw = opaque(try vectors.bytes(files.raw))
            let width = try XCTUnwrap(files.width)
            let height = try XCTUnwrap(files.height)
            let sRGB = try makeImage(raw, width: width, height: height, colorSpace: CGColorSpace.sRGB)
            // The same colours stored as Display P3 values: different bytes, same appearance.
            var stored = [UInt8](repeating: 0, count: raw.count)
            let displayP3 = try stored.withUnsafeMutableBytes { buffer -> CGImage in
                let context = try XCTUnwrap(CGContext(
                    data: buffer.baseAddress, width: width, height: height, bitsPerComponent: 8,
                    bytesPerRow: width * 4, space: XCTUnwrap(CGColorSpace(name: CGColorSpace.displayP3)),
                    bitmapInfo: CGImageAlphaInfo.premultipliedLast.rawValue
                ))
                context.draw(sRGB, in: CGRect(x: 0, y: 0, width: width, height: height))
                return try XCTUnwrap(context.makeImage())
            }
            let read = try MobileNetV2RGBAImage(displayP3)
            // Two 8-bit colour conversions: within 2 levels of the sRGB photo.
            let worst = zip(read.pixels, raw).map { abs(Int($0) - Int($1)) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 2, "\(goldenCase.name) Display P3")
        }
    }

    func testGoldenPhotosThroughPixelBufferOfImage() throws {
        let vectors = try GoldenVectors(bundle: .module)
        for goldenCase in vectors.manifest.cases {
            let files = try XCTUnwrap(goldenCase.inputs[MobileNetV2Metadata.imageFeatureName])
            let raw = opaque(try vectors.bytes(files.raw))
            let width = try XCTUnwrap(files.width)
            let height = try XCTUnwrap(files.height)
            var created: CVPixelBuffer?
            XCTAssertEqual(CVPixelBufferCreate(nil, width, height, kCVPixelFormatType_32BGRA, nil, &created), kCVReturnSuccess)
            let buffer = try XCTUnwrap(created)
            XCTAssertEqual(CVPixelBufferLockBaseAddress(buffer, []), kCVReturnSuccess)
            let base = try XCTUnwrap(CVPixelBufferGetBaseAddress(buffer))
            let bytesPerRow = CVPixelBufferGetBytesPerRow(buffer)
            for y in 0..<height {
                let row = base.advanced(by: y * bytesPerRow).assumingMemoryBound(to: UInt8.self)
                for x in 0..<width {
                    let pixel = (y * width + x) * 4
                    row[x * 4] = raw[pixel + 2]
                    row[x * 4 + 1] = raw[pixel + 1]
                    row[x * 4 + 2] = raw[pixel]
                    row[x * 4 + 3] = 255
                }
            }
            XCTAssertEqual(CVPixelBufferUnlockBaseAddress(buffer, []), kCVReturnSuccess)
            let read = try MobileNetV2RGBAImage(buffer, orientation: .up)
            XCTAssertEqual(read.width, width)
            XCTAssertEqual(read.height, height)
            let worst = zip(read.pixels, raw).map { abs(Int($0) - Int($1)) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1, "\(goldenCase.name) CVPixelBuffer")
            let turned = try MobileNetV2RGBAImage(buffer, orientation: .right)
            XCTAssertEqual(turned, try read.oriented(exifOrientation: CGImagePropertyOrientation.right.rawValue))
        }
    }

    /// A `CGImage` holding `raw` (straight RGBA8), drawn as Core Graphics stores it: premultiplied.
    private func makeImage(_ raw: [UInt8], width: Int, height: Int, colorSpace name: CFString) throws -> CGImage {
        var premultiplied = raw
        for offset in stride(from: 0, to: raw.count, by: 4) {
            let alpha = Int(raw[offset + 3])
            for channel in offset..<(offset + 3) {
                premultiplied[channel] = UInt8((Int(raw[channel]) * alpha + 127) / 255)
            }
        }
        return try premultiplied.withUnsafeMutableBytes { buffer -> CGImage in
            let context = try XCTUnwrap(CGContext(
                data: buffer.baseAddress, width: width, height: height, bitsPerComponent: 8,
                bytesPerRow: width * 4, space: XCTUnwrap(CGColorSpace(name: name)),
                bitmapInfo: CGImageAlphaInfo.premultipliedLast.rawValue
            ))
            return try XCTUnwrap(context.makeImage())
        }
    }

    /// `raw` with every alpha set to 255.
    private func opaque(_ raw: [UInt8]) -> [UInt8] {
        var pixels = raw
        for offset in stride(from: 3, to: pixels.count, by: 4) {
            pixels[offset] = 255
        }
        return pixels
    }

    /// Straight pixels read back from a premultiplied store: exact where opaque, within the
    /// rounding premultiplication allows elsewhere; alpha always exact.
    private func assertPixels(_ actual: [UInt8], match expected: [UInt8], premultiplied: Bool, _ what: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        var failures = 0
        for offset in stride(from: 0, to: min(actual.count, expected.count), by: 4) where failures < 5 {
            let alpha = Int(expected[offset + 3])
            let bound = alpha == 255 || !premultiplied ? 0 : (alpha == 0 ? 255 : 127.5 / Double(alpha) + 0.5)
            for channel in offset..<(offset + 3) where Double(abs(Int(actual[channel]) - Int(expected[channel]))) > bound {
                failures += 1
                XCTFail("\(what): byte \(channel) is \(actual[channel]), expected \(expected[channel]) (alpha \(alpha))", file: file, line: line)
            }
            if actual[offset + 3] != expected[offset + 3] {
                failures += 1
                XCTFail("\(what): alpha at byte \(offset + 3)", file: file, line: line)
            }
        }
    }
}
#endif
