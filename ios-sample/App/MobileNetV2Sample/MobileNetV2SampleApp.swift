import SwiftUI

/// The sample app of the MobileNet V2 SDK.
@main
struct MobileNetV2SampleApp: App {
    var body: some Scene {
        WindowGroup {
            ContentView()
        }
    }
}
