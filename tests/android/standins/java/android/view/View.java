// Stand-in for android.view.View, API 36 (AOSP core/java/android/view/View.java): the
// constructor only. Compile only.
package android.view;

import android.content.Context;

public class View {
    public View(Context context) {}
}
