import PhotosUI
import SwiftUI
import MobileNetV2

/// Pick a photo or point the camera, classify on the device, show the top classes and how long
/// the model took.
struct ContentView: View {
    @State private var model = ClassificationModel()
    @State private var selection: PhotosPickerItem?

    var body: some View {
        NavigationStack {
            List {
                Section {
                    PhotosPicker(selection: $selection, matching: .images) {
                        Label("Choose a photo", systemImage: "photo.on.rectangle")
                    }
                    if model.camera == nil {
                        Button {
                            selection = nil
                            Task { await model.startCamera() }
                        } label: {
                            Label("Use the camera", systemImage: "camera")
                        }
                    } else {
                        Button {
                            model.stopCamera()
                        } label: {
                            Label("Stop the camera", systemImage: "camera.fill")
                        }
                    }
                    if let camera = model.camera {
                        CameraPreview(session: camera.session)
                            .frame(maxWidth: .infinity, minHeight: 280, maxHeight: 280)
                    } else if let preview = model.preview {
                        Image(decorative: preview, scale: 1)
                            .resizable()
                            .scaledToFit()
                            .frame(maxWidth: .infinity, maxHeight: 280)
                    }
                }
                Section("Top \(ClassificationModel.topK)") {
                    switch model.state {
                    case .idle:
                        Text("No photo or camera yet.")
                            .foregroundStyle(.secondary)
                    case .running:
                        ProgressView()
                    case let .finished(classes, latency):
                        ForEach(classes, id: \.index) { entry in
                            HStack {
                                Text(entry.label)
                                Spacer()
                                Text(entry.probability, format: .percent.precision(.fractionLength(1)))
                                    .monospacedDigit()
                            }
                        }
                        LabeledContent("Latency", value: latency.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))))
                    case let .failed(message):
                        Text(message)
                            .foregroundStyle(.red)
                    }
                }
            }
            .navigationTitle("MobileNet V2")
        }
        .task(id: selection) {
            if let selection {
                model.stopCamera()
                await model.classify(selection)
            }
        }
    }
}
