// Stand-in for the parts of Apple's CoreGraphics framework the generated image adapters use, with
// Apple's Swift signatures and availability (developer.apple.com/documentation/coregraphics, read
// 2026-11-23; the page is named above each declaration). Bodies are never run. CGRect, CGSize,
// CGPoint and CGFloat are not declared here: on Linux swift-corelibs-foundation provides them with
// the same API, and the generated code imports Foundation.
import Foundation

// /documentation/coregraphics/cgimage — `class CGImage` (iOS 2.0+), an immutable CF type; Apple
// documents it as thread-safe and the current SDK imports it as Sendable.
public final class CGImage: @unchecked Sendable {
    // /documentation/coregraphics/cgimage/width, /height — `var width: Int { get }`.
    public var width: Int { fatalError("stand-in") }
    public var height: Int { fatalError("stand-in") }
}

// CoreFoundation's `CFString` (CGColorSpace names are CFString constants).
public final class CFString: @unchecked Sendable {}

// /documentation/coregraphics/cgcolorspace — `class CGColorSpace` (iOS 2.0+).
public final class CGColorSpace: @unchecked Sendable {
    // /documentation/coregraphics/cgcolorspace/init(name:) — `init?(name: CFString)` (iOS 2.0+).
    public init?(name: CFString) { fatalError("stand-in") }
    // /documentation/coregraphics/cgcolorspace/srgb — `class let sRGB: CFString` (iOS 9.0+).
    @available(iOS 9.0, macOS 10.5, *)
    public static let sRGB = CFString()
    // /documentation/coregraphics/cgcolorspace/displayp3 — `class let displayP3: CFString`
    // (iOS 9.3+): DCI P3 primaries, D65 white point, the sRGB transfer function.
    @available(iOS 9.3, macOS 10.11.2, *)
    public static let displayP3 = CFString()
}

// /documentation/coregraphics/cgcolorspacecreatedevicergb() — `func
// CGColorSpaceCreateDeviceRGB() -> CGColorSpace` (iOS 2.0+).
public func CGColorSpaceCreateDeviceRGB() -> CGColorSpace { fatalError("stand-in") }

// /documentation/coregraphics/cgimagealphainfo — `enum CGImageAlphaInfo: UInt32` (iOS 2.0+).
public enum CGImageAlphaInfo: UInt32, Sendable {
    case none = 0
    case premultipliedLast = 1
    case premultipliedFirst = 2
    case last = 3
    case first = 4
    case noneSkipLast = 5
    case noneSkipFirst = 6
    case alphaOnly = 7
}

// /documentation/coregraphics/cgbitmapinfo — `struct CGBitmapInfo: OptionSet` of UInt32.
public struct CGBitmapInfo: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
}

// /documentation/coregraphics/cginterpolationquality — `enum CGInterpolationQuality: Int32`.
public enum CGInterpolationQuality: Int32, Sendable {
    case `default` = 0
    case none = 1
    case low = 2
    case high = 3
    case medium = 4
}

// /documentation/coregraphics/cgcontext — `class CGContext` (iOS 2.0+), not Sendable.
public final class CGContext {
    // /documentation/coregraphics/cgcontext/init(data:width:height:bitspercomponent:bytesperrow:
    // space:bitmapinfo:) — the long-standing overload taking `bitmapInfo: UInt32` and a
    // non-optional `space`, and (-10b3i) the overload taking `space: CGColorSpace?, bitmapInfo:
    // CGBitmapInfo`. The generated code passes a UInt32, which only the first accepts.
    public init?(data: UnsafeMutableRawPointer?, width: Int, height: Int, bitsPerComponent: Int,
                 bytesPerRow: Int, space: CGColorSpace, bitmapInfo: UInt32) { fatalError("stand-in") }
    public init?(data: UnsafeMutableRawPointer?, width: Int, height: Int, bitsPerComponent: Int,
                 bytesPerRow: Int, space: CGColorSpace?, bitmapInfo: CGBitmapInfo) { fatalError("stand-in") }

    // /documentation/coregraphics/cgcontext/interpolationquality — `var interpolationQuality:
    // CGInterpolationQuality { get set }`.
    public var interpolationQuality: CGInterpolationQuality {
        get { fatalError("stand-in") }
        set { fatalError("stand-in") }
    }

    // /documentation/coregraphics/cgcontext/draw(_:in:bytiling:) — `func draw(_ image: CGImage,
    // in rect: CGRect, byTiling: Bool = false)`.
    public func draw(_ image: CGImage, in rect: CGRect, byTiling: Bool = false) { fatalError("stand-in") }

    // /documentation/coregraphics/cgcontext/makeimage() — `func makeImage() -> CGImage?`.
    public func makeImage() -> CGImage? { fatalError("stand-in") }
}
