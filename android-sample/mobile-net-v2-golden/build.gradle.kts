// The golden-vector reader, shared by the SDK's JVM unit tests and its instrumented tests: a plain
// Kotlin/JVM library that both test source sets depend on (one content root per file, as Android
// Studio expects). Not published.
plugins {
    // on the build classpath through the root build script (the catalog's Kotlin)
    id("org.jetbrains.kotlin.jvm")
}

java {
    sourceCompatibility = JavaVersion.VERSION_17
    targetCompatibility = JavaVersion.VERSION_17
}

kotlin {
    compilerOptions {
        jvmTarget.set(org.jetbrains.kotlin.gradle.dsl.JvmTarget.JVM_17)
    }
}
