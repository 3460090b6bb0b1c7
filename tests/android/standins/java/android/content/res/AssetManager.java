// Stand-in for android.content.res.AssetManager, API 36 (AOSP core/java/android/content/res/AssetManager.java).
package android.content.res;

import java.io.IOException;
import java.io.InputStream;

public final class AssetManager implements AutoCloseable {
    public InputStream open(String fileName) throws IOException {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    // public String[] list(String path) throws IOException (API 1): the names in an asset folder
    public String[] list(String path) throws IOException {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    @Override
    public void close() {}
}
