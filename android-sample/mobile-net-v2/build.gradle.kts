plugins {
    alias(libs.plugins.android.library)
    `maven-publish`
    signing
}

android {
    namespace = "io.sdkgen.examples.mobilenet"
    compileSdk = 36

    defaultConfig {
        // org.pytorch:executorch-android 1.5.1 needs at least 23.
        minSdk = 24
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"
        // apps that shrink their code keep building when they do not use CameraX
        consumerProguardFiles("consumer-rules.pro")
        ndk {
            // the ABIs the ExecuTorch AAR ships native libraries for (used by the test APKs; apps
            // that depend on this library choose their own)
            abiFilters += listOf("arm64-v8a", "x86_64")
        }
    }

    testOptions {
        targetSdk = 36
    }

    lint {
        targetSdk = 36
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    androidResources {
        // the runtime memory-maps the model after copying it out of the APK: keep it uncompressed
        // (faster copy, no inflating) in the app and test APKs
        noCompress += "pte"
    }

    publishing {
        singleVariant("release") {
            withSourcesJar()
            withJavadocJar()
        }
    }
}

kotlin {
    explicitApi()
}

// A failing golden test prints its message (the case and the difference) in the build log.
tasks.withType<Test>().configureEach {
    testLogging {
        events("failed")
        exceptionFormat = org.gradle.api.tasks.testing.logging.TestExceptionFormat.FULL
    }
}

dependencies {
    implementation(libs.executorch.android)
    implementation(libs.kotlinx.coroutines.android)
    // only for the CameraX entry points: apps that call them have CameraX already
    compileOnly(libs.androidx.camera.core)

    testImplementation(libs.junit)
    testImplementation(project(":mobile-net-v2-golden"))

    androidTestImplementation(libs.androidx.test.ext.junit)
    androidTestImplementation(libs.androidx.test.runner)
    androidTestImplementation(project(":mobile-net-v2-golden"))
}

publishing {
    publications {
        register<MavenPublication>("release") {
            groupId = "io.sdkgen.examples.mobilenet"
            artifactId = "mobile-net-v2"
            version = "1.0.0"
            afterEvaluate {
                from(components["release"])
            }
            // Maven Central requires name, description, url, licences, developers and scm: set
            // the project properties sdk.pom.url / sdk.pom.scmUrl / sdk.pom.scmConnection /
            // sdk.pom.licenseUrl (gradle.properties or -P) before publishing there
            pom {
                name.set("MobileNet V2")
                description.set("Classifies photos into the 1000 ImageNet-1k classes (MobileNetV2, 71.9% top-1).")
                url.set(providers.gradleProperty("sdk.pom.url"))
                licenses {
                    license {
                        name.set("BSD-3-Clause")
                        url.set(providers.gradleProperty("sdk.pom.licenseUrl"))
                    }
                }
                developers {
                    developer {
                        name.set("torchvision (weights); sdkgen (definition)")
                    }
                }
                scm {
                    url.set(providers.gradleProperty("sdk.pom.scmUrl"))
                    connection.set(providers.gradleProperty("sdk.pom.scmConnection"))
                }
            }
        }
    }
    repositories {
        // a local repository to check the publication: ./gradlew publishReleasePublicationToLocalRepository
        maven {
            name = "local"
            url = uri(layout.buildDirectory.dir("repository"))
        }
    }
}

// Signing is configured but optional: it signs only when a key is given, as Gradle's in-memory
// PGP key properties (ORG_GRADLE_PROJECT_signingKey / ORG_GRADLE_PROJECT_signingPassword), which
// Maven Central requires and local builds do not.
signing {
    val signingKey = providers.gradleProperty("signingKey").orNull
    if (signingKey != null) {
        useInMemoryPgpKeys(signingKey, providers.gradleProperty("signingPassword").orNull)
        sign(publishing.publications)
    }
}
