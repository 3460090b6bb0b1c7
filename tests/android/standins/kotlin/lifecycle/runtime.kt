// Stand-in for androidx.lifecycle.LifecycleOwner (lifecycle-common 2.10.0,
// lifecycle/lifecycle-common/src/commonMain/kotlin/androidx/lifecycle/LifecycleOwner.kt; its
// `lifecycle` property is left out: the sample only passes owners on). Compile only.
package androidx.lifecycle

interface LifecycleOwner
