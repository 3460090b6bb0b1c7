import Foundation
import XCTest
@testable import MobileNetV2

/// The compiled-model cache keeps one copy per SDK: copies compiled by other versions go, other
/// SDKs' copies and unrelated files stay. Foundation only, so it runs on every platform.
final class MobileNetV2ModelCacheTests: XCTestCase {
    func testStaleCompiledCopiesAreRemoved() throws {
        let fileManager = FileManager.default
        let root = fileManager.temporaryDirectory.appendingPathComponent(UUID().uuidString, isDirectory: true)
        defer { try? fileManager.removeItem(at: root) }
        let parent = root.appendingPathComponent("sdkgen", isDirectory: true)
        let folder = parent.appendingPathComponent(CompiledModelCache.folderName, isDirectory: true)
        try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        let current = CompiledModelCache.cachedModelName
        let olderVersion = "0.0.1-000000000000.mlmodelc"
        let legacyCopy = CompiledModelCache.legacyPrefix + "0.0.1-000000000000.mlmodelc"
        let otherSDK = "Other" + CompiledModelCache.legacyPrefix + "1.0.0-111111111111.mlmodelc"
        for directory in [folder.appendingPathComponent(current), folder.appendingPathComponent(olderVersion),
                          parent.appendingPathComponent(legacyCopy), parent.appendingPathComponent(otherSDK)] {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("compiled".utf8).write(to: directory.appendingPathComponent("model.mil"))
        }
        try Data("notes".utf8).write(to: folder.appendingPathComponent("notes.txt"))

        let removed = CompiledModelCache.removeStaleCopies(in: folder, keeping: current)

        XCTAssertEqual(removed, [olderVersion, legacyCopy].sorted())
        XCTAssertEqual(try fileManager.contentsOfDirectory(atPath: folder.path).sorted(), [current, "notes.txt"].sorted())
        XCTAssertEqual(try fileManager.contentsOfDirectory(atPath: parent.path).sorted(), [CompiledModelCache.folderName, otherSDK].sorted())
    }
}
