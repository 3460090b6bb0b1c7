// Stand-in for android.view.ViewGroup, API 36 (AOSP core/java/android/view/ViewGroup.java). Compile only.
package android.view;

import android.content.Context;

public abstract class ViewGroup extends View {
    public ViewGroup(Context context) {
        super(context);
    }
}
