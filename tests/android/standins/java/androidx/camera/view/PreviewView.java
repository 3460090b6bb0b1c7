// Stand-in for androidx.camera.view.PreviewView, androidx.camera:camera-view 1.6 ("public final class
// PreviewView extends FrameLayout"; PreviewView(Context); @NonNull Preview.SurfaceProvider
// getSurfaceProvider()). Compile only.
package androidx.camera.view;

import android.content.Context;
import android.widget.FrameLayout;
import androidx.camera.core.Preview;

public final class PreviewView extends FrameLayout {
    public PreviewView(Context context) {
        super(context);
    }

    public Preview.SurfaceProvider getSurfaceProvider() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
