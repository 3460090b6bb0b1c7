// Stand-in for androidx.camera.core.ImageAnalysis, androidx.camera:camera-core 1.6 ("public final
// class ImageAnalysis extends UseCase"; STRATEGY_KEEP_ONLY_LATEST = 0; OUTPUT_IMAGE_FORMAT_RGBA_8888
// = 2; void setAnalyzer(Executor, ImageAnalysis.Analyzer); void clearAnalyzer(); interface Analyzer
// { void analyze(@NonNull ImageProxy image); } (its other members are default methods);
// ImageAnalysis.Builder: setBackpressureStrategy(int), setOutputImageFormat(int), build()).
// Compile only.
package androidx.camera.core;

import java.util.concurrent.Executor;

public final class ImageAnalysis extends UseCase {
    public static final int STRATEGY_KEEP_ONLY_LATEST = 0;
    public static final int STRATEGY_BLOCK_PRODUCER = 1;
    public static final int OUTPUT_IMAGE_FORMAT_YUV_420_888 = 1;
    public static final int OUTPUT_IMAGE_FORMAT_RGBA_8888 = 2;

    private ImageAnalysis() {}

    public interface Analyzer {
        void analyze(ImageProxy image);
    }

    public void setAnalyzer(Executor executor, Analyzer analyzer) {}

    public void clearAnalyzer() {}

    public static final class Builder {
        public Builder() {}

        public Builder setBackpressureStrategy(int strategy) {
            return this;
        }

        public Builder setOutputImageFormat(int outputImageFormat) {
            return this;
        }

        public ImageAnalysis build() {
            throw new UnsupportedOperationException("compile-time stand-in");
        }
    }
}
