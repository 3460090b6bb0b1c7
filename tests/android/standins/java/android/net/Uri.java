// Stand-in for android.net.Uri, API 36 (AOSP core/java/android/net/Uri.java).
package android.net;

public abstract class Uri {}
