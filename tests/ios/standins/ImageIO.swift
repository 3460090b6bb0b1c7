// Stand-in for the ImageIO type the generated image adapters take (developer.apple.com/documentation
// /imageio, read 2026-12-02). Bodies are never run.
import Foundation

// /documentation/imageio/cgimagepropertyorientation — `@frozen enum CGImagePropertyOrientation`
// (iOS 4.0+, macOS 10.8+), imported from a C enum of UInt32 whose values are the EXIF/TIFF
// orientation tag's, 1...8 in this order (kCGImagePropertyOrientationUp = 1 ...
// kCGImagePropertyOrientationLeft = 8; the case pages /up ... /left). Imported C enums are Sendable.
@available(iOS 4.0, macOS 10.8, tvOS 9.0, watchOS 2.0, *)
@frozen public enum CGImagePropertyOrientation: UInt32, Sendable {
    case up = 1
    case upMirrored = 2
    case down = 3
    case downMirrored = 4
    case leftMirrored = 5
    case right = 6
    case rightMirrored = 7
    case left = 8
}
