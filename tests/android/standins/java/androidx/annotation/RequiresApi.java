// Stand-in for androidx.annotation.RequiresApi (androidx.annotation:annotation 1.9;
// annotation/annotation/src/jvmMain/kotlin/androidx/annotation/RequiresApi.kt: value and api, both
// defaulting to 1). Compile only.
package androidx.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD, ElementType.PACKAGE})
public @interface RequiresApi {
    int value() default 1;

    int api() default 1;
}
