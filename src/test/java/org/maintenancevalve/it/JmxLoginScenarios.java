package org.maintenancevalve.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line (the jar, as its own JVM: its deserialisation filter in force) against a real
 * Tomcat whose JMX port asks for a user and password, set up as docs/jmx.md says: it logs in with
 * {@code --jmx-user} and {@code --jmx-password-file} (or the environment), says how when it was not
 * given one, and a read-only user can look but not confirm a change. {@code run}'s command does not
 * inherit the password.
 */
abstract class JmxLoginScenarios extends TomcatScenarios {

    private static final String PASSWORD = "Zm9vYmFyYmF6cXV4cXV1eA";
    private static final String READER_PASSWORD = "cmVhZC1vbmx5LXVzZXI";

    private Path work;
    private Path passwordFile;

    JmxLoginScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void start() throws IOException {
        startTomcat("jmx-login", "jmx-login-flags", LONG_POLL_MILLIS, "", builder -> builder
                .jmxUser("maintenance", PASSWORD, "readwrite")
                .jmxUser("monitor", READER_PASSWORD, "readonly"));
        work = Files.createDirectories(flag.resolveSibling("work"));
        passwordFile = work.resolve("jmx-password");
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, PASSWORD + "\n");
    }

    @AfterEach
    void off() throws Exception {
        Files.deleteIfExists(flag);
        tomcat.jmx().invoke(CoreScenarios.valveName(tomcat.jmx()), "refresh", new Object[0], new String[0]);
    }

    @Test
    void theCommandsLogInWithAUserAndAPasswordFile() throws Exception {
        Run status = jar(Map.of(), "status", "--flag", flag.toString(), "--jmx", jmx());
        assertEquals(0, status.code, status.output);
        assertTrue(status.output.contains("Live figures: not available (cannot connect to JMX at " + jmx()
                + ": Authentication failed! Credentials required: the port asks for a user and password: give --jmx-user"
                + " NAME and --jmx-password-file FILE (or set MAINTENANCE_JMX_USER and MAINTENANCE_JMX_PASSWORD))"),
                status.output);

        String[] login = {"--jmx-user", "maintenance", "--jmx-password-file", passwordFile.toString()};
        Run on = jar(Map.of(), concat(new String[] {"on", "--flag", flag.toString(), "--jmx", jmx(), "--message", "backup"}, login));
        assertEquals(0, on.code, on.output);
        assertTrue(on.output.contains("Maintenance is on (full): applied by every valve reached (1)."), on.output);
        assertEquals(503, status("/"), "in force when on returns");

        Run live = jar(Map.of(), concat(new String[] {"status", "--flag", flag.toString(), "--jmx", jmx()}, login));
        assertEquals(0, live.code, live.output);
        assertTrue(live.output.contains("Live (" + jmx() + "): full since "), live.output);

        Run off = jar(Map.of(), concat(new String[] {"off", "--flag", flag.toString(), "--jmx", jmx()}, login));
        assertEquals(0, off.code, off.output);
        assertTrue(off.output.contains("Maintenance is off: applied by every valve reached (1)."), off.output);
        assertEquals(200, status("/"));

        Run wrong = jar(Map.of("MAINTENANCE_JMX_USER", "maintenance", "MAINTENANCE_JMX_PASSWORD", "wrong"),
                "status", "--flag", flag.toString(), "--jmx", jmx());
        assertTrue(wrong.output.contains("Authentication failed! Invalid username or password (as JMX user maintenance)"),
                wrong.output);
    }

    @Test
    void aReadOnlyUserSeesButCannotConfirm() throws Exception {
        Map<String, String> reader = Map.of("MAINTENANCE_JMX_USER", "monitor", "MAINTENANCE_JMX_PASSWORD", READER_PASSWORD);
        Run on = jar(reader, "on", "--flag", flag.toString(), "--jmx", jmx());
        assertEquals(1, on.code, on.output);
        assertTrue(on.output.contains("refresh failed at " + jmx() + " [host=localhost]: Access denied!"), on.output);
        Run status = jar(reader, "status", "--flag", flag.toString(), "--jmx", jmx());
        assertTrue(status.output.contains("Live (" + jmx() + "): "), status.output);
    }

    @Test
    void runsCommandDoesNotGetThePassword() throws Exception {
        Map<String, String> env = Map.of("MAINTENANCE_JMX_USER", "maintenance", "MAINTENANCE_JMX_PASSWORD", PASSWORD);
        Run run = jar(env, "run", "--flag", flag.toString(), "--jmx", jmx(), "--drain", "5s", "--",
                "sh", "-c", "echo \"user=${MAINTENANCE_JMX_USER-unset} password=${MAINTENANCE_JMX_PASSWORD-unset}\"");
        assertEquals(0, run.code, run.output);
        assertTrue(run.output.contains("user=maintenance password=unset"), run.output);
        assertFalse(run.output.contains(PASSWORD), run.output);
        assertTrue(run.output.contains("Maintenance is off: applied by every valve reached (1)."), run.output);
    }

    @Test
    void checkCountsTheValvesWithTheLogin() {
        int code = cli("check", tomcat.baseDir().toString(), "--jmx", jmx(), "--jmx-user", "maintenance",
                "--jmx-password-file", passwordFile.toString());
        assertTrue(out.contains("JMX: reachable at " + jmx() + ": 1 MaintenanceValve registered"), code + out + err);
        cli("check", tomcat.baseDir().toString(), "--jmx", jmx());
        String unwrapped = out.replaceAll("\n {11}", " ");
        assertTrue(unwrapped.contains("JMX: the port answers at " + jmx() + " but the login failed: Authentication failed!"
                + " Credentials required: the port asks for a user and password"), out);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static final class Run {
        final int code;
        final String output;

        Run(int code, String output) {
            this.code = code;
            this.output = output;
        }
    }

    /** {@code java -jar <the built jar> <args>} as its own JVM, with these environment variables added. */
    private Run jar(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JarRun.jar().toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().remove("MAINTENANCE_JMX_USER");
        builder.environment().remove("MAINTENANCE_JMX_PASSWORD");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ends: " + command);
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
