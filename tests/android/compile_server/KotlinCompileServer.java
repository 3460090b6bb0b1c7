import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jetbrains.kotlin.cli.common.CLICompiler;
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler;
import org.jetbrains.kotlin.cli.jvm.compiler.CompatKt;

/**
 * Runs K2JVMCompiler once per request in one JVM, so that only the first compilation pays for the
 * JVM start and the compiler's warm-up (the tests compile a dozen small source sets).
 *
 * <p>A request is one line on standard input: the kotlinc arguments separated by NUL characters.
 * The answer on standard output is a line "EXIT_CODE BYTE_COUNT" followed by that many bytes:
 * everything the compiler printed (to System.out or System.err), as the command line prints it.
 * The server ends when standard input closes.
 */
public final class KotlinCompileServer {
    private KotlinCompileServer() {}

    public static void main(String[] unused) throws IOException {
        // what K2JVMCompiler.main does before compiling (colours stay off: the output is captured)
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        CompatKt.setupIdeaStandaloneExecution();
        BufferedReader requests =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream answers =
                new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        PrintStream err = System.err;
        String line;
        while ((line = requests.readLine()) != null) {
            String[] arguments = line.isEmpty() ? new String[0] : line.split("\0", -1);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
            int code;
            System.setOut(capture);
            System.setErr(capture);
            try {
                code = CLICompiler.doMainNoExit(new K2JVMCompiler(), arguments).getCode();
            } catch (Throwable failure) {
                failure.printStackTrace(capture);
                code = 2;  // ExitCode.INTERNAL_ERROR
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            capture.flush();
            byte[] bytes = printed.toByteArray();
            answers.print(code + " " + bytes.length + "\n");
            answers.write(bytes, 0, bytes.length);
            answers.flush();
        }
    }
}
