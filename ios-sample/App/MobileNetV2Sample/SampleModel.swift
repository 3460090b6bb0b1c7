import CoreGraphics
import Foundation
import ImageIO
import PhotosUI
import SwiftUI
import MobileNetV2

/// Loads the classifier once and classifies picked photos; inference runs off the main actor.
@MainActor
final class ClassificationModel: ObservableObject {
    /// How many classes the sample shows.
    static let topK = 5

    /// What the screen shows.
    enum State {
        case idle
        case running
        case finished([Classification], latency: Duration)
        case failed(String)
    }

    @Published private(set) var state = State.idle
    @Published private(set) var preview: CGImage?
    private var classifier: MobileNetV2?

    func classify(_ item: PhotosPickerItem) async {
        state = .running
        do {
            guard let data = try await item.loadTransferable(type: Data.self) else {
                throw SampleError.unreadablePhoto
            }
            let image = try await Self.orientedImage(from: data)
            preview = image
            let classifier = try await loadedClassifier()
            let clock = ContinuousClock()
            let start = clock.now
            let classes = try await classifier.classify(image, topK: Self.topK)
            state = .finished(classes, latency: start.duration(to: clock.now))
        } catch {
            state = .failed(error.localizedDescription)
        }
    }

    private func loadedClassifier() async throws -> MobileNetV2 {
        if let classifier {
            return classifier
        }
        let loaded = try await MobileNetV2()
        classifier = loaded
        return loaded
    }

    /// Decodes the photo upright (EXIF orientation applied) and at most 1024 pixels on its long
    /// side, away from the main actor.
    private nonisolated static func orientedImage(from data: Data) async throws -> CGImage {
        let options: [CFString: Any] = [
            kCGImageSourceCreateThumbnailFromImageAlways: true,
            kCGImageSourceCreateThumbnailWithTransform: true,
            kCGImageSourceThumbnailMaxPixelSize: 1024,
        ]
        guard let source = CGImageSourceCreateWithData(data as CFData, nil),
              let image = CGImageSourceCreateThumbnailAtIndex(source, 0, options as CFDictionary)
        else {
            throw SampleError.unreadablePhoto
        }
        return image
    }
}

/// Errors of the sample app itself.
enum SampleError: LocalizedError {
    case unreadablePhoto

    var errorDescription: String? {
        switch self {
        case .unreadablePhoto: return "The photo could not be read."
        }
    }
}
