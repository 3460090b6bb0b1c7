// Stand-in for androidx.camera.core.Camera, androidx.camera:camera-core 1.6 (the value
// ProcessCameraProvider.bindToLifecycle returns). Compile only.
package androidx.camera.core;

public interface Camera {}
