import Foundation
#if canImport(CoreML)
import CoreML
import MobileNetV2Core
#endif

/// Finds the compiled model: Xcode's compiled copy when it made one, otherwise the `.mlpackage`
/// compiled on this device once and kept in the caches directory, where copies compiled by
/// earlier versions of this SDK are deleted.
enum CompiledModelCache {
    static let resourceName = "MobileNetV2"
    /// The compiled copy of this SDK version and model definition.
    static let cachedModelName = "1.0.0-1652766a8d7c.mlmodelc"
    /// This SDK's folder inside `Caches/sdkgen`.
    static let folderName = "MobileNetV2"
    /// How SDK versions before the per-SDK folder named their copy in `Caches/sdkgen`.
    static let legacyPrefix = "MobileNetV2-"

    /// Deletes compiled copies other than `current` from this SDK's cache folder, and copies of
    /// this SDK in the legacy flat layout of its parent. Returns the names it deleted.
    @discardableResult
    static func removeStaleCopies(in folder: URL, keeping current: String) -> [String] {
        let fileManager = FileManager.default
        var removed: [String] = []
        let own = (try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in own where name != current && name.hasSuffix(".mlmodelc") {
            if (try? fileManager.removeItem(at: folder.appendingPathComponent(name))) != nil {
                removed.append(name)
            }
        }
        let parent = folder.deletingLastPathComponent()
        let legacy = (try? fileManager.contentsOfDirectory(atPath: parent.path)) ?? []
        for name in legacy where name.hasPrefix(legacyPrefix) && name.hasSuffix(".mlmodelc") {
            if (try? fileManager.removeItem(at: parent.appendingPathComponent(name))) != nil {
                removed.append(name)
            }
        }
        return removed.sorted()
    }
#if canImport(CoreML)

    static func compiledModelURL() async throws -> URL {
        if let compiled = Bundle.module.url(forResource: resourceName, withExtension: "mlmodelc") {
            return compiled
        }
        guard let package = Bundle.module.url(forResource: resourceName, withExtension: "mlpackage") else {
            throw MobileNetV2Error.modelResourceMissing(name: resourceName + ".mlpackage")
        }
        let fileManager = FileManager.default
        let folder: URL
        let cached: URL
        do {
            let caches = try fileManager.url(
                for: .cachesDirectory, in: .userDomainMask, appropriateFor: nil, create: true
            )
            folder = caches
                .appendingPathComponent("sdkgen", isDirectory: true)
                .appendingPathComponent(folderName, isDirectory: true)
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            cached = folder.appendingPathComponent(cachedModelName, isDirectory: true)
        } catch {
            throw MobileNetV2Error.modelLoadingFailed(reason: error.localizedDescription)
        }
        if fileManager.fileExists(atPath: cached.path) {
            return cached
        }
        let compiled: URL
        do {
            compiled = try await MLModel.compileModel(at: package)
        } catch {
            throw MobileNetV2Error.modelLoadingFailed(reason: error.localizedDescription)
        }
        do {
            try fileManager.moveItem(at: compiled, to: cached)
        } catch _ where fileManager.fileExists(atPath: cached.path) {
            // Another task compiled and cached the same model first; keep its copy.
            try? fileManager.removeItem(at: compiled)
        } catch {
            throw MobileNetV2Error.modelLoadingFailed(reason: error.localizedDescription)
        }
        // A new version compiled its copy: the older versions' copies are dead weight.
        removeStaleCopies(in: folder, keeping: cachedModelName)
        return cached
    }
#endif
}
