#if canImport(CoreML)
import CoreML
import Foundation
import MobileNetV2Core

/// Finds the compiled model: Xcode's compiled copy when it made one, otherwise the `.mlpackage`
/// compiled on this device once and kept in the caches directory.
enum CompiledModelCache {
    static let resourceName = "MobileNetV2"
    static let cachedModelName = "MobileNetV2-1.0.0-443058d9cfaf.mlmodelc"

    static func compiledModelURL() async throws -> URL {
        if let compiled = Bundle.module.url(forResource: resourceName, withExtension: "mlmodelc") {
            return compiled
        }
        guard let package = Bundle.module.url(forResource: resourceName, withExtension: "mlpackage") else {
            throw MobileNetV2Error.modelResourceMissing(name: resourceName + ".mlpackage")
        }
        let fileManager = FileManager.default
        let cached: URL
        do {
            let caches = try fileManager.url(
                for: .cachesDirectory, in: .userDomainMask, appropriateFor: nil, create: true
            )
            let directory = caches.appendingPathComponent("sdkgen", isDirectory: true)
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            cached = directory.appendingPathComponent(cachedModelName, isDirectory: true)
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
        return cached
    }
}
#endif
