// Stand-in for the CoreVideo type the generated image adapters accept
// (developer.apple.com/documentation/corevideo, read 2026-11-23). Bodies are never run.
import Foundation

// /documentation/corevideo/cvbuffer — `class CVBuffer`, a CF type that is not Sendable.
public final class CVBuffer {}
// /documentation/corevideo/cvimagebuffer — `typealias CVImageBuffer = CVBuffer`.
public typealias CVImageBuffer = CVBuffer
// /documentation/corevideo/cvpixelbuffer — `typealias CVPixelBuffer = CVImageBuffer`.
public typealias CVPixelBuffer = CVImageBuffer
