import AVFoundation
import CoreVideo
import Foundation
import ImageIO
import MobileNetV2

/// The back camera, classified frame by frame on the capture queue with the SDK's synchronous
/// entry point: a `CVPixelBuffer` is not `Sendable`, so the frame never leaves the delegate
/// callback; only the `Sendable` classes go to the main actor.
///
/// `@unchecked Sendable`: the session is configured, started and stopped on `queue` only, and the
/// frame orientation is read and written under `lock`.
final class CameraFeed: NSObject, AVCaptureVideoDataOutputSampleBufferDelegate, @unchecked Sendable {
    /// What the preview layer shows.
    let session = AVCaptureSession()
    private let queue = DispatchQueue(label: "camera frames")
    private let classifier: MobileNetV2
    private let topK: Int
    private let onResult: @Sendable ([MobileNetV2Classification], Duration) -> Void
    private let lock = NSLock()
    private var orientation = CGImagePropertyOrientation.right
    private var rotationCoordinator: AVCaptureDevice.RotationCoordinator?
    private var rotationObservation: NSKeyValueObservation?

    init(classifier: MobileNetV2, topK: Int, onResult: @escaping @Sendable ([MobileNetV2Classification], Duration) -> Void) {
        self.classifier = classifier
        self.topK = topK
        self.onResult = onResult
    }

    /// Asks for camera access, then configures and starts the session off the main thread.
    func start() async throws {
        guard await AVCaptureDevice.requestAccess(for: .video) else {
            throw CameraError.accessDenied
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            queue.async {
                do {
                    try self.configureIfNeeded()
                    self.session.startRunning()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Stops the session; frames already in the delegate finish.
    func stop() {
        queue.async { self.session.stopRunning() }
    }

    private func configureIfNeeded() throws {
        guard session.inputs.isEmpty else { return }
        guard let device = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back) else {
            throw CameraError.noCamera
        }
        let input = try AVCaptureDeviceInput(device: device)
        let output = AVCaptureVideoDataOutput()
        // A slow model drops frames instead of queueing them.
        output.alwaysDiscardsLateVideoFrames = true
        output.videoSettings = [kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_32BGRA]
        output.setSampleBufferDelegate(self, queue: queue)
        session.beginConfiguration()
        session.sessionPreset = .hd1280x720
        guard session.canAddInput(input), session.canAddOutput(output) else {
            session.commitConfiguration()
            throw CameraError.noCamera
        }
        session.addInput(input)
        session.addOutput(output)
        session.commitConfiguration()
        // Frames arrive in the sensor's orientation; the coordinator says how far to turn them
        // so the horizon is level, and follows the device as it rotates.
        let coordinator = AVCaptureDevice.RotationCoordinator(device: device, previewLayer: nil)
        rotationCoordinator = coordinator
        rotationObservation = coordinator.observe(\.videoRotationAngleForHorizonLevelCapture, options: [.initial, .new]) { [weak self] coordinator, _ in
            self?.setOrientation(for: coordinator.videoRotationAngleForHorizonLevelCapture)
        }
    }

    private func setOrientation(for angle: CGFloat) {
        let turned: CGImagePropertyOrientation
        switch Int(angle.rounded()) % 360 {
        case 90: turned = .right
        case 180: turned = .down
        case 270: turned = .left
        default: turned = .up
        }
        lock.withLock { orientation = turned }
    }

    func captureOutput(_ output: AVCaptureOutput, didOutput sampleBuffer: CMSampleBuffer, from connection: AVCaptureConnection) {
        guard let pixelBuffer = CMSampleBufferGetImageBuffer(sampleBuffer) else { return }
        let orientation = lock.withLock { self.orientation }
        let clock = ContinuousClock()
        let start = clock.now
        guard let classes = try? classifier.classifySynchronously(pixelBuffer, orientation: orientation, topK: topK) else {
            return
        }
        onResult(classes, start.duration(to: clock.now))
    }
}

/// Why the camera could not start.
enum CameraError: LocalizedError {
    case accessDenied
    case noCamera

    var errorDescription: String? {
        switch self {
        case .accessDenied: return "Camera access is off; allow it in Settings."
        case .noCamera: return "This device has no usable back camera."
        }
    }
}
