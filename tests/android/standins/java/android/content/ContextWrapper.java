// Stand-in for android.content.ContextWrapper, API 36 (AOSP core/java/android/content/ContextWrapper.java).
package android.content;

import android.content.res.AssetManager;
import java.io.File;

public class ContextWrapper extends Context {
    @Override
    public AssetManager getAssets() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    @Override
    public ContentResolver getContentResolver() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    @Override
    public Context getApplicationContext() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    @Override
    public File getNoBackupFilesDir() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
