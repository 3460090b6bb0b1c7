// Stand-in for android.widget.FrameLayout, API 36 (AOSP core/java/android/widget/FrameLayout.java).
// Compile only.
package android.widget;

import android.content.Context;
import android.view.ViewGroup;

public class FrameLayout extends ViewGroup {
    public FrameLayout(Context context) {
        super(context);
    }
}
