// Stand-in for the `Bundle.module` accessor SwiftPM generates for a target with resources: the
// `<Target>.build/DerivedSources/resource_bundle_accessor.swift` that `swift build` (Swift 6.3.1)
// writes declares `extension Foundation.Bundle { static let module: Bundle = { ... }() }`.
// Compiled next to the generated Core ML layer when type-checking it outside SwiftPM.
import Foundation

extension Foundation.Bundle {
    static let module: Bundle = Bundle.main
}
