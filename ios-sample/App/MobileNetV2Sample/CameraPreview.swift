import AVFoundation
import SwiftUI
import UIKit

/// Shows a capture session full width, filling its frame.
struct CameraPreview: UIViewRepresentable {
    let session: AVCaptureSession

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        view.previewLayer.session = session
        view.previewLayer.videoGravity = .resizeAspectFill
        return view
    }

    func updateUIView(_ view: PreviewView, context: Context) {}

    /// A view backed by a preview layer, so the layer follows the view's size.
    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        var previewLayer: AVCaptureVideoPreviewLayer {
            // layerClass makes the backing layer a preview layer.
            layer as! AVCaptureVideoPreviewLayer
        }
    }
}
