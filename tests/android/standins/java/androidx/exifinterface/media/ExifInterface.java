// Stand-in for androidx.exifinterface.media.ExifInterface, androidx.exifinterface:exifinterface 1.4.1
// (developer.android.com/reference/androidx/exifinterface/media/ExifInterface:
// ExifInterface(@NonNull InputStream inputStream) throws IOException; int getRotationDegrees()).
// Compile only.
package androidx.exifinterface.media;

import java.io.IOException;
import java.io.InputStream;

public class ExifInterface {
    public ExifInterface(InputStream inputStream) throws IOException {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public int getRotationDegrees() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
