package org.maintenancevalve.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar as a command line in a JVM of its own ({@code java -jar}), as an admin runs it:
 * started in a work directory, its output in {@code run.out} and {@code run.err} there.
 */
final class JarRun {

    /** How long a started command may take to end. */
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    final Process process;
    private final Path work;

    private JarRun(Process process, Path work) {
        this.process = process;
        this.work = work;
    }

    /** The jar the build made (system property {@code maintenancevalve.jar}): the one every test runs. */
    static Path jar() {
        String jar = System.getProperty("maintenancevalve.jar");
        return (jar == null || jar.isBlank() ? Paths.get("target", "maintenance-valve.jar") : Paths.get(jar)).toAbsolutePath();
    }

    /** This JVM's {@code java}. */
    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * {@code <prefix> java -jar <jar> <args>}, started in {@code work}.
     *
     * @param prefix what runs the JVM ({@code env ...}), or nothing
     */
    static JarRun start(Path work, List<String> prefix, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java(), "-jar", jar().toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(work.resolve("run.out").toFile()).redirectError(work.resolve("run.err").toFile())
                .start();
        return new JarRun(process, work);
    }

    /** Waits for the end ({@link #TIMEOUT} at most) and returns the exit code. */
    int exitCode() throws Exception {
        assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "run ends: " + err());
        return process.exitValue();
    }

    String out() throws IOException {
        return Files.readString(work.resolve("run.out"));
    }

    String err() throws IOException {
        return Files.readString(work.resolve("run.err"));
    }
}
