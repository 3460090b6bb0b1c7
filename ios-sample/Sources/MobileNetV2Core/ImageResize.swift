import Foundation

/// How a photo of any size becomes the model's input size (the definition's `resize`).
public enum MobileNetV2ResizeMode: String, Sendable, CaseIterable {
    /// The whole photo, stretched to the model size.
    case stretch
    /// The centre of the photo at the model's aspect ratio (after resizing the shorter side to
    /// `resizeShorter`, when the definition gives one).
    case centerCrop = "center_crop"
    /// The whole photo fitted inside the model size, centred on the `fill` colour.
    case letterbox
}

/// The resize contract of sdkgen's golden vectors (`docs/golden-format.md`, "Image resize
/// contract"): area averaging in exact integer arithmetic, so Swift, Kotlin and the Python
/// reference produce the same bytes from the same photo.
public enum MobileNetV2ImageResize {
    /// The largest photo side the contract covers; decode larger photos at a smaller size first.
    public static let maximumSide = 8192

    /// Resizes RGBA8 pixels (not premultiplied) by exact area averaging, each channel alike.
    public static func areaResize(_ image: MobileNetV2RGBAImage, width: Int, height: Int) throws -> MobileNetV2RGBAImage {
        if image.width == width, image.height == height {
            return image
        }
        let sourceWidth = image.width
        let sourceHeight = image.height
        // Rows first: `columns[y][x][c]` = Σ_i wy(y, i) · src[i][x][c].
        var columns = [Int](repeating: 0, count: height * sourceWidth * 4)
        image.pixels.withUnsafeBufferPointer { source in
            columns.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    forEachWeight(output: y, source: sourceHeight, size: height) { i, weight in
                        let from = i * sourceWidth * 4
                        let to = y * sourceWidth * 4
                        for k in 0..<(sourceWidth * 4) {
                            target[to + k] += weight * Int(source[from + k])
                        }
                    }
                }
            }
        }
        // Then columns: sum = Σ_k wx(x, k) · columns[y][k][c]; exact in 64-bit integers.
        let total = sourceWidth * sourceHeight
        var out = [UInt8](repeating: 0, count: width * height * 4)
        columns.withUnsafeBufferPointer { columns in
            out.withUnsafeMutableBufferPointer { out in
                var sums = [Int](repeating: 0, count: 4)
                for y in 0..<height {
                    let row = y * sourceWidth * 4
                    for x in 0..<width {
                        sums[0] = 0; sums[1] = 0; sums[2] = 0; sums[3] = 0
                        forEachWeight(output: x, source: sourceWidth, size: width) { k, weight in
                            let base = row + k * 4
                            for channel in 0..<4 {
                                sums[channel] += weight * columns[base + channel]
                            }
                        }
                        let to = (y * width + x) * 4
                        for channel in 0..<4 {
                            out[to + channel] = UInt8((2 * sums[channel] + total) / (2 * total))
                        }
                    }
                }
            }
        }
        return try MobileNetV2RGBAImage(width: width, height: height, pixels: out)
    }

    /// Calls `body(i, weight)` for each source pixel `i` of output pixel `j` along one axis (`n`
    /// source pixels resized to `m`): the overlap of `[i·m, (i+1)·m)` and `[j·n, (j+1)·n)`.
    private static func forEachWeight(output j: Int, source n: Int, size m: Int, _ body: (Int, Int) -> Void) {
        let start = j * n
        let end = (j + 1) * n
        let first = start / m
        let last = (end + m - 1) / m - 1
        for i in first...min(last, n - 1) {
            let weight = min(end, (i + 1) * m) - max(start, i * m)
            if weight > 0 {
                body(i, weight)
            }
        }
    }

    /// `numerator / denominator` rounded half up (non-negative integers).
    private static func roundHalfUp(_ numerator: Int, _ denominator: Int) -> Int {
        (2 * numerator + denominator) / (2 * denominator)
    }

    /// Brings a photo of any size to `width` × `height` as the contract's geometry says.
    /// - Throws: ``MobileNetV2Error/invalidImageSize(expectedWidth:expectedHeight:actualWidth:actualHeight:)``
    ///   for a photo larger than ``maximumSide`` on a side.
    public static func resize(
        _ photo: MobileNetV2RGBAImage, width: Int, height: Int, mode: MobileNetV2ResizeMode,
        resizeShorter: Int? = nil, fill: [UInt8] = [0, 0, 0]
    ) throws -> MobileNetV2RGBAImage {
        let sourceWidth = photo.width
        let sourceHeight = photo.height
        guard sourceWidth <= maximumSide, sourceHeight <= maximumSide else {
            throw MobileNetV2Error.invalidImageSize(
                expectedWidth: min(sourceWidth, maximumSide), expectedHeight: min(sourceHeight, maximumSide),
                actualWidth: sourceWidth, actualHeight: sourceHeight
            )
        }
        switch mode {
        case .stretch:
            return try areaResize(photo, width: width, height: height)
        case .centerCrop:
            if let shorter = resizeShorter {
                let scaledWidth = sourceWidth <= sourceHeight ? shorter : shorter * sourceWidth / sourceHeight
                let scaledHeight = sourceWidth <= sourceHeight ? shorter * sourceHeight / sourceWidth : shorter
                let scaled = try areaResize(photo, width: scaledWidth, height: scaledHeight)
                return try crop(scaled, left: (scaledWidth - width) / 2, top: (scaledHeight - height) / 2, width: width, height: height)
            }
            let cropWidth: Int
            let cropHeight: Int
            if sourceWidth * height > sourceHeight * width {
                cropWidth = min(sourceWidth, max(1, roundHalfUp(sourceHeight * width, height)))
                cropHeight = sourceHeight
            } else {
                cropWidth = sourceWidth
                cropHeight = min(sourceHeight, max(1, roundHalfUp(sourceWidth * height, width)))
            }
            let cropped = try crop(photo, left: (sourceWidth - cropWidth) / 2, top: (sourceHeight - cropHeight) / 2, width: cropWidth, height: cropHeight)
            return try areaResize(cropped, width: width, height: height)
        case .letterbox:
            let fitWidth: Int
            let fitHeight: Int
            if sourceWidth * height >= sourceHeight * width {
                fitWidth = width
                fitHeight = min(height, max(1, roundHalfUp(sourceHeight * width, sourceWidth)))
            } else {
                fitWidth = min(width, max(1, roundHalfUp(sourceWidth * height, sourceHeight)))
                fitHeight = height
            }
            let fitted = try areaResize(photo, width: fitWidth, height: fitHeight)
            var canvas = [UInt8](repeating: 255, count: width * height * 4)
            for offset in stride(from: 0, to: canvas.count, by: 4) {
                canvas[offset] = fill[0]
                canvas[offset + 1] = fill[1]
                canvas[offset + 2] = fill[2]
            }
            let left = (width - fitWidth) / 2
            let top = (height - fitHeight) / 2
            for y in 0..<fitHeight {
                let from = y * fitWidth * 4
                let to = ((top + y) * width + left) * 4
                canvas.replaceSubrange(to..<(to + fitWidth * 4), with: fitted.pixels[from..<(from + fitWidth * 4)])
            }
            return try MobileNetV2RGBAImage(width: width, height: height, pixels: canvas)
        }
    }

    private static func crop(_ image: MobileNetV2RGBAImage, left: Int, top: Int, width: Int, height: Int) throws -> MobileNetV2RGBAImage {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 4)
        for y in top..<(top + height) {
            let from = (y * image.width + left) * 4
            pixels += image.pixels[from..<(from + width * 4)]
        }
        return try MobileNetV2RGBAImage(width: width, height: height, pixels: pixels)
    }
}
