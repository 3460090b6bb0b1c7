// Stand-in for android.os.SystemClock, API 36 (AOSP core/java/android/os/SystemClock.java).
package android.os;

public final class SystemClock {
    private SystemClock() {}

    public static long elapsedRealtimeNanos() {
        return System.nanoTime();
    }
}
