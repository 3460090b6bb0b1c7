// Stand-in for android.content.ContentResolver, API 36
// (AOSP core/java/android/content/ContentResolver.java: openInputStream is @Nullable).
package android.content;

import android.net.Uri;
import java.io.FileNotFoundException;
import java.io.InputStream;

public abstract class ContentResolver {
    public final @android.annotation.Nullable InputStream openInputStream(Uri uri) throws FileNotFoundException {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
