import PhotosUI
import SwiftUI
import MobileNetV2

/// Pick a photo, classify it on the device, show the top classes and how long it took.
struct ContentView: View {
    @StateObject private var model = ClassificationModel()
    @State private var selection: PhotosPickerItem?

    var body: some View {
        NavigationStack {
            List {
                Section {
                    PhotosPicker(selection: $selection, matching: .images) {
                        Label("Choose a photo", systemImage: "photo.on.rectangle")
                    }
                    if let preview = model.preview {
                        Image(decorative: preview, scale: 1)
                            .resizable()
                            .scaledToFit()
                            .frame(maxWidth: .infinity, maxHeight: 280)
                    }
                }
                Section("Top \(ClassificationModel.topK)") {
                    switch model.state {
                    case .idle:
                        Text("No photo yet.")
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
                await model.classify(selection)
            }
        }
    }
}
