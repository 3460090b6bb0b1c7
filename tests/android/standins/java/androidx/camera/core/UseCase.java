// Stand-in for androidx.camera.core.UseCase, androidx.camera:camera-core 1.6 ("public abstract class
// UseCase"). Compile only.
package androidx.camera.core;

public abstract class UseCase {
    UseCase() {}
}
