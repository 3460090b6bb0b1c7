// Stand-in for the CoreVideo type the generated image adapters accept
// (developer.apple.com/documentation/corevideo, read 2026-11-23). Bodies are never run.
import Foundation

// /documentation/corevideo/cvbuffer — `class CVBuffer`, a CF type that is not Sendable.
public final class CVBuffer {}
// /documentation/corevideo/cvimagebuffer — `typealias CVImageBuffer = CVBuffer`.
public typealias CVImageBuffer = CVBuffer
// /documentation/corevideo/cvpixelbuffer — `typealias CVPixelBuffer = CVImageBuffer`.
public typealias CVPixelBuffer = CVImageBuffer

// MacTypes.h: `typedef UInt32 FourCharCode; typedef FourCharCode OSType;`.
public typealias OSType = UInt32
// CoreFoundation's `CFAllocator` and `CFDictionary` (only ever passed as nil here).
public final class CFAllocator {}
public final class CFDictionary {}

// /documentation/corevideo/cvreturn — `typealias CVReturn = Int32`; /kcvreturnsuccess —
// `var kCVReturnSuccess: CVReturn { get }` (0).
public typealias CVReturn = Int32
public var kCVReturnSuccess: CVReturn { 0 }

// /documentation/corevideo/kcvpixelformattype_32bgra — `var kCVPixelFormatType_32BGRA: OSType
// { get }` ('BGRA').
public var kCVPixelFormatType_32BGRA: OSType { 0x4247_5241 }

// /documentation/corevideo/cvpixelbufferlockflags — `struct CVPixelBufferLockFlags: OptionSet`
// of CVOptionFlags (UInt64), with `static var readOnly`.
public struct CVPixelBufferLockFlags: OptionSet, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static var readOnly: CVPixelBufferLockFlags { CVPixelBufferLockFlags(rawValue: 1) }
}

// /documentation/corevideo/cvpixelbuffercreate(_:_:_:_:_:_:) — `func CVPixelBufferCreate(_
// allocator: CFAllocator?, _ width: Int, _ height: Int, _ pixelFormatType: OSType, _
// pixelBufferAttributes: CFDictionary?, _ pixelBufferOut: UnsafeMutablePointer<CVPixelBuffer?>) ->
// CVReturn` (iOS 4.0+).
public func CVPixelBufferCreate(
    _ allocator: CFAllocator?, _ width: Int, _ height: Int, _ pixelFormatType: OSType,
    _ pixelBufferAttributes: CFDictionary?, _ pixelBufferOut: UnsafeMutablePointer<CVPixelBuffer?>
) -> CVReturn { fatalError("stand-in") }

// /documentation/corevideo/cvpixelbufferlockbaseaddress(_:_:) and
// /cvpixelbufferunlockbaseaddress(_:_:) — `(_ pixelBuffer: CVPixelBuffer, _ lockFlags:
// CVPixelBufferLockFlags) -> CVReturn` (iOS 4.0+).
public func CVPixelBufferLockBaseAddress(_ pixelBuffer: CVPixelBuffer, _ lockFlags: CVPixelBufferLockFlags) -> CVReturn { fatalError("stand-in") }
public func CVPixelBufferUnlockBaseAddress(_ pixelBuffer: CVPixelBuffer, _ unlockFlags: CVPixelBufferLockFlags) -> CVReturn { fatalError("stand-in") }

// /documentation/corevideo/cvpixelbuffergetbaseaddress(_:) — `-> UnsafeMutableRawPointer?`;
// /cvpixelbuffergetbytesperrow(_:) — `-> Int` (iOS 4.0+).
public func CVPixelBufferGetBaseAddress(_ pixelBuffer: CVPixelBuffer) -> UnsafeMutableRawPointer? { fatalError("stand-in") }
public func CVPixelBufferGetBytesPerRow(_ pixelBuffer: CVPixelBuffer) -> Int { fatalError("stand-in") }
