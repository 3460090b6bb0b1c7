plugins {
    alias(libs.plugins.android.library)
    `maven-publish`
}

android {
    namespace = "io.sdkgen.examples.mobilenet"
    compileSdk = 36

    defaultConfig {
        // org.pytorch:executorch-android 1.5.1 needs at least 23.
        minSdk = 24
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"
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

    sourceSets {
        // the golden-vector reader is shared by the JVM and the instrumented tests
        getByName("test").java.srcDir("src/sharedTest/java")
        getByName("androidTest").java.srcDir("src/sharedTest/java")
    }

    publishing {
        singleVariant("release") {
            withSourcesJar()
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

    testImplementation(libs.junit)

    androidTestImplementation(libs.androidx.test.ext.junit)
    androidTestImplementation(libs.androidx.test.runner)
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
            pom {
                name.set("MobileNet V2")
                description.set("Classifies photos into the 1000 ImageNet-1k classes (MobileNetV2, 71.9% top-1).")
                licenses {
                    license {
                        name.set("BSD-3-Clause")
                    }
                }
                developers {
                    developer {
                        name.set("torchvision (weights); sdkgen (definition)")
                    }
                }
            }
        }
    }
}
