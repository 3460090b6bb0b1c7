"""Java callers: the generated API compiles under javac, catching the SDK's checked exception."""

from __future__ import annotations

from pathlib import Path

from android import toolchain
from android.conftest import Compiled, Tree, require_kotlin

JAVA_CALLER = """package io.sdkgen.tests.digits.java;

import android.content.Context;
import android.graphics.Bitmap;
import androidx.camera.core.ImageProxy;
import io.sdkgen.tests.digits.Classification;
import io.sdkgen.tests.digits.DigitClassifier;
import io.sdkgen.tests.digits.DigitClassifierCamera;
import io.sdkgen.tests.digits.DigitClassifierException;
import io.sdkgen.tests.digits.DigitClassifierOptions;
import io.sdkgen.tests.digits.DigitClassifierSpec;
import io.sdkgen.tests.digits.LoadMode;
import java.util.List;

/** What a Java app writes: checked SDK exceptions, default arguments through overloads. */
public final class JavaCaller {
    private JavaCaller() {}

    public static List<Classification> classify(Context context, Bitmap bitmap) {
        try (DigitClassifier model = DigitClassifier.createBlocking(context)) {
            return model.classifyBlocking(bitmap);
        } catch (DigitClassifierException e) {
            return null;
        }
    }

    public static float[] everyOverload(Context context, Bitmap bitmap, ImageProxy frame)
            throws DigitClassifierException {
        DigitClassifierOptions options = new DigitClassifierOptions(2, LoadMode.FILE);
        new DigitClassifierOptions();
        new DigitClassifierOptions(1);
        try (DigitClassifier model = DigitClassifier.createBlocking(context, options)) {
            model.classifyBlocking(bitmap, 90);
            model.classifyBlocking(bitmap, 90, 3);
            DigitClassifierCamera.classifyBlocking(model, frame);
            DigitClassifierCamera.classifyBlocking(model, frame, 2);
            float[] tensor = model.preprocessImage(bitmap);
            model.preprocessImage(bitmap, 270);
            List<Classification> top = DigitClassifierSpec.decodeLogits(model.predictBlocking(tensor).getLogits());
            DigitClassifierSpec.decodeLogits(new float[10], 1);
            return new float[] {top.get(0).getProbability()};
        }
    }
}
"""


def test_java_caller_compiles_with_javac(compiled: Compiled, android_trees: dict[str, Tree],
                                         tmp_path: Path) -> None:
    """Without @Throws, javac rejects `catch (DigitClassifierException e)` (never thrown in the
    try body); without @JvmOverloads/@JvmStatic the shorter calls do not resolve."""
    kotlin = require_kotlin()
    assert android_trees["digits_fixture"].package == "io.sdkgen.tests.digits"
    source = tmp_path / "io/sdkgen/tests/digits/java/JavaCaller.java"
    source.parent.mkdir(parents=True)
    source.write_text(JAVA_CALLER, encoding="utf-8")
    result = toolchain.javac([source], classpath=[compiled.library, compiled.standins,
                                                  kotlin.stdlib_jar], out=tmp_path / "classes")
    print(f"javac -cp <library>:<stand-ins>:<kotlin-stdlib> {source.name}: exit {result.returncode}")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "classes/io/sdkgen/tests/digits/java/JavaCaller.class").is_file()
