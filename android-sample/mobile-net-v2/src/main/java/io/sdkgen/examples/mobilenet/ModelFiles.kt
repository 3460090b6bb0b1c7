package io.sdkgen.examples.mobilenet

import android.content.Context
import java.io.File
import java.io.FileOutputStream
import java.io.IOException

/**
 * Installs the model asset as a file, because the ExecuTorch runtime loads programs from a path.
 *
 * The file is named after the SHA-256 of the model, which the SDK generator computed at build
 * time and shipped beside the asset (`<asset>.sha256`), so [install] never reads the model to hash
 * it: after the first launch of a version, it only checks that a file exists. A new SDK version
 * with a different model writes a new file and deletes the old one. Copies go to a temporary file
 * that is renamed into place, so a crash mid-copy never leaves a truncated model behind.
 */
internal object ModelFiles {
    private const val BUFFER_SIZE = 64 * 1024
    private val SHA256 = Regex("[0-9a-f]{64}")

    /**
     * Returns the installed copy of [assetName], copying it into `noBackupFilesDir/[directory]`
     * first if needed. Blocking.
     *
     * @throws IOException if the asset or its digest cannot be read or the file cannot be written.
     */
    @Synchronized
    fun install(context: Context, assetName: String, directory: String): File {
        val digest = context.assets.open("$assetName.sha256").use { String(it.readBytes(), Charsets.US_ASCII).trim() }
        if (!SHA256.matches(digest)) {
            throw IOException("the asset $assetName.sha256 does not hold a SHA-256 digest")
        }
        val folder = File(context.noBackupFilesDir, directory)
        val target = File(folder, "$digest.pte")
        if (!target.isFile) {
            if (!folder.isDirectory && !folder.mkdirs()) {
                throw IOException("cannot create the folder $folder")
            }
            copy(context, assetName, folder, target)
        }
        folder.listFiles()?.forEach { stale ->
            if (stale.name != target.name) {
                stale.delete()
            }
        }
        return target
    }

    private fun copy(context: Context, assetName: String, folder: File, target: File) {
        val temporary = File.createTempFile("model", ".tmp", folder)
        try {
            context.assets.open(assetName).use { input ->
                FileOutputStream(temporary).use { output ->
                    input.copyTo(output, BUFFER_SIZE)
                    output.fd.sync()
                }
            }
            if (!temporary.renameTo(target)) {
                throw IOException("cannot rename $temporary to $target")
            }
        } finally {
            temporary.delete()
        }
    }
}
