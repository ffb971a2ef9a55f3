package org.maintenancevalve.cli;

import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the command-line tests share: a fresh directory for the flag file, the environment the
 * commands see, and {@link #run} through the real {@link Main}, keeping what it printed.
 */
abstract class CommandLineTest {

    @TempDir
    Path dir;

    /** The environment the commands see (empty unless a test puts something in). */
    final Map<String, String> env = new HashMap<>();
    /** What the last {@link #run} printed. */
    String out;
    String err;

    int run(String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(outBytes, true), new PrintStream(errBytes, true), env);
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return code;
    }
}
