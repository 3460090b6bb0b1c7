// Stand-in for the VideoToolbox function the generated CVPixelBuffer adapter uses
// (developer.apple.com/documentation/videotoolbox, read 2026-11-23). Bodies are never run.
import CoreGraphics
import CoreVideo
import Foundation

// MacTypes.h: `typedef SInt32 OSStatus;` (imported as `typealias OSStatus = Int32`).
public typealias OSStatus = Int32

// /documentation/videotoolbox/vtcreatecgimagefromcvpixelbuffer(_:options:imageout:) — `func
// VTCreateCGImageFromCVPixelBuffer(_ pixelBuffer: CVPixelBuffer, options: CFDictionary?,
// imageOut: UnsafeMutablePointer<CGImage?>) -> OSStatus` (iOS 9.0+).
@available(iOS 9.0, macOS 10.11, tvOS 10.2, *)
public func VTCreateCGImageFromCVPixelBuffer(
    _ pixelBuffer: CVPixelBuffer, options: CFDictionary?, imageOut: UnsafeMutablePointer<CGImage?>
) -> OSStatus { fatalError("stand-in") }
