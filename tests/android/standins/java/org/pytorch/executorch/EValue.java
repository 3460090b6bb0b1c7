// Stand-in for org.pytorch.executorch.EValue, org.pytorch:executorch-android 1.5.1
// (pytorch/executorch extension/android/executorch_android/src/main/java/org/pytorch/executorch/EValue.java):
// from(Tensor), toTensor(), toInt() (a long), toBool() (IllegalStateException for another type).
package org.pytorch.executorch;

public class EValue {
    private EValue() {}

    public static EValue from(Tensor tensor) {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public Tensor toTensor() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public long toInt() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }

    public boolean toBool() {
        throw new UnsupportedOperationException("compile-time stand-in");
    }
}
