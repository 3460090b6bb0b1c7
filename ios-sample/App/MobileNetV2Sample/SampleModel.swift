import CoreGraphics
import Foundation
import ImageIO
import Observation
import PhotosUI
import SwiftUI
import MobileNetV2

/// Loads the classifier once and classifies picked photos or live camera frames; inference runs
/// off the main actor.
@MainActor
@Observable
final class ClassificationModel {
    /// How many classes the sample shows.
    static let topK = 5

    /// What the screen shows.
    enum State {
        case idle
        case running
        case finished([MobileNetV2Classification], latency: Duration)
        case failed(String)
    }

    private(set) var state = State.idle
    private(set) var preview: CGImage?
    /// The live camera, while camera mode is on.
    private(set) var camera: CameraFeed?
    private var classifier: MobileNetV2?

    /// Classifies a picked photo. Run it in `.task(id:)`: when another photo is picked, SwiftUI
    /// cancels this task, and a cancelled task writes nothing, so a slow earlier photo can never
    /// replace the result of a later one.
    func classify(_ item: PhotosPickerItem) async {
        state = .running
        preview = nil
        do {
            guard let data = try await item.loadTransferable(type: Data.self) else {
                throw SampleError.unreadablePhoto
            }
            let image = try await Self.orientedImage(from: data)
            try Task.checkCancellation()
            preview = image
            let classifier = try await loadedClassifier()
            let clock = ContinuousClock()
            let start = clock.now
            let classes = try await classifier.classify(image, topK: Self.topK)
            let latency = start.duration(to: clock.now)
            try Task.checkCancellation()
            state = .finished(classes, latency: latency)
        } catch is CancellationError {
            // A newer photo (or leaving the screen) replaced this one: leave the screen to it.
        } catch {
            if !Task.isCancelled {
                state = .failed(error.localizedDescription)
            }
        }
    }

    /// Starts classifying the back camera's frames as they arrive.
    func startCamera() async {
        guard camera == nil else { return }
        state = .running
        preview = nil
        do {
            let classifier = try await loadedClassifier()
            let feed = CameraFeed(classifier: classifier, topK: Self.topK) { [weak self] classes, latency in
                Task { @MainActor in
                    // Frames still in flight after the camera stopped are dropped.
                    guard let self, self.camera != nil else { return }
                    self.state = .finished(classes, latency: latency)
                }
            }
            camera = feed
            try await feed.start()
        } catch {
            camera = nil
            state = .failed(error.localizedDescription)
        }
    }

    /// Stops the camera; its last result stays on screen.
    func stopCamera() {
        camera?.stop()
        camera = nil
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
    /// side, away from the main actor: decode-time downsampling before the SDK's resize contract.
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
