// Stand-in for android.content.Context, API 36 (developer.android.com/reference/android/content/Context;
// AOSP frameworks/base core/java/android/content/Context.java). Only the members generated code uses.
package android.content;

import android.content.res.AssetManager;
import java.io.File;

public abstract class Context {
    public abstract AssetManager getAssets();

    public abstract ContentResolver getContentResolver();

    public abstract Context getApplicationContext();

    public abstract File getNoBackupFilesDir();

    public final String getString(int resId, Object... formatArgs) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
