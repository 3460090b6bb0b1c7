// Stand-in for android.os.Bundle, API 36 (AOSP core/java/android/os/Bundle.java).
package android.os;

public final class Bundle {}
