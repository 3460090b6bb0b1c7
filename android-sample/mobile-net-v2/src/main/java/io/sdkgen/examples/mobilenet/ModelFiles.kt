package io.sdkgen.examples.mobilenet

import android.content.Context
import java.io.File
import java.io.FileOutputStream
import java.io.IOException
import java.io.InputStream
import java.security.MessageDigest

/**
 * Installs the model asset as a file, because the ExecuTorch runtime loads programs from a path.
 *
 * The file is named after the SHA-256 of the asset's content, so it is copied once per model
 * version: a new SDK version with a different model writes a new file and deletes the old one.
 * Copies go to a temporary file that is renamed into place, so a crash mid-copy never leaves a
 * truncated model behind.
 */
internal object ModelFiles {
    private const val BUFFER_SIZE = 64 * 1024

    /**
     * Returns the installed copy of [assetName], copying it into `noBackupFilesDir/[directory]`
     * first if needed. Blocking: reads the whole asset to hash it.
     *
     * @throws IOException if the asset cannot be read or the file cannot be written.
     */
    @Synchronized
    fun install(context: Context, assetName: String, directory: String): File {
        val hash = context.assets.open(assetName).use { sha256(it) }
        val folder = File(context.noBackupFilesDir, directory)
        val target = File(folder, "$hash.pte")
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

    private fun sha256(input: InputStream): String {
        val digest = MessageDigest.getInstance("SHA-256")
        val buffer = ByteArray(BUFFER_SIZE)
        while (true) {
            val read = input.read(buffer)
            if (read < 0) {
                break
            }
            digest.update(buffer, 0, read)
        }
        return digest.digest().joinToString("") { byte -> "%02x".format(byte) }
    }
}
