// AGP 9 compiles Kotlin itself ("built-in Kotlin") with the Kotlin Gradle plugin it finds on the
// build classpath; pin that plugin to the catalog's Kotlin so it matches the Compose compiler.
buildscript {
    repositories {
        mavenCentral()
    }
    dependencies {
        classpath(libs.kotlin.gradle.plugin)
    }
}

plugins {
    alias(libs.plugins.android.application) apply false
    alias(libs.plugins.android.library) apply false
    alias(libs.plugins.kotlin.compose) apply false
}
