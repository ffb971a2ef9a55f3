package org.maintenancevalve.install;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.cli.Main;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A server.xml its user really cannot write: read-only file in a read-only conf/ and lib/.
 * Permissions do not stop root, and these tests usually run as root; then install runs in a
 * child JVM as the unprivileged user 65534 (via {@code setpriv}), so the operating system
 * itself says no. Run as anyone else, it runs in this JVM.
 */
class ReadOnlyInstallTest {

    @TempDir
    Path tmp;

    private Path jira;

    @AfterEach
    void makeWritableAgainForCleanUp() throws IOException {
        if (jira != null) {
            for (String dir : new String[] {"conf", "lib"}) {
                Files.setPosixFilePermissions(jira.resolve(dir), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    @Test
    void installAndUninstallRefuseClearlyAndChangeNothing() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path setpriv = Paths.get("/usr/bin/setpriv");
        assumeTrue(!root || Files.isExecutable(setpriv), "running as root without setpriv: cannot drop privileges");

        byte[] original = Fixtures.resource("jira-server.xml");
        jira = Fixtures.tomcat(tmp.resolve("jira"), "9.0.117", original);
        Path jar = Fixtures.valveJar(tmp.resolve("maintenance-valve-0.2.0.jar"), "build");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(jira.resolve("conf/server.xml"), PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(jira.resolve("conf"), PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(jira.resolve("lib"), PosixFilePermissions.fromString("r-xr-xr-x"));

        String[] install = {"install", jira.toString(), "--jar", jar.toString()};
        String[] result = root ? runAsNobody(install) : runHere(install);
        assertEquals("1", result[0], "exit code; stderr: " + result[1]);
        assertTrue(result[1].contains("refused: cannot write " + jira.resolve("conf/server.xml") + " and its backup (permission denied)"),
                result[1]);
        assertArrayEquals(original, Files.readAllBytes(jira.resolve("conf/server.xml")));
        assertEquals(Arrays.asList("catalina.jar"), names(jira.resolve("lib")));
        assertEquals(Arrays.asList("server.xml"), names(jira.resolve("conf")));

        // uninstall of an installed valve on a file that became read-only afterwards
        makeWritableAgainForCleanUp();
        Files.setPosixFilePermissions(jira.resolve("conf/server.xml"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, InstallCommandTest.run((Object[]) install).code);
        byte[] installed = Files.readAllBytes(jira.resolve("conf/server.xml"));
        List<String> conf = names(jira.resolve("conf"));
        Files.setPosixFilePermissions(jira.resolve("conf/server.xml"), PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(jira.resolve("conf"), PosixFilePermissions.fromString("r-xr-xr-x"));
        String[] uninstall = {"uninstall", jira.toString()};
        String[] removed = root ? runAsNobody(uninstall) : runHere(uninstall);
        assertEquals("1", removed[0], "exit code; stderr: " + removed[1]);
        assertTrue(removed[1].contains("permission denied"), removed[1]);
        assertArrayEquals(installed, Files.readAllBytes(jira.resolve("conf/server.xml")));
        assertEquals(conf, names(jira.resolve("conf")));
        assertTrue(Files.exists(jira.resolve("lib/maintenance-valve-0.2.0.jar")));
    }

    private static List<String> names(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    private static String[] runHere(String[] args) {
        InstallCommandTest.Run run = InstallCommandTest.run((Object[]) args);
        return new String[] {Integer.toString(run.code), run.err};
    }

    /**
     * The main classes plus Jackson (the command line uses it), as uid 65534 can read them: the
     * Jackson jars live in root's Maven repository, so they are copied next to the test files.
     */
    private String classPathForNobody() throws Exception {
        Path copies = Files.createDirectories(tmp.resolve("classpath"));
        Files.setPosixFilePermissions(copies, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        entries.add(Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (Class<?> type : new Class<?>[] {com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.annotation.JsonProperty.class}) {
            Path jar = Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path copy = copies.resolve(jar.getFileName());
            Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            entries.add(copy.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** {@code java -cp <main classes + Jackson> org.maintenancevalve.cli.Main <args>} as uid/gid 65534. */
    private String[] runAsNobody(String[] args) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPathForNobody(), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        Path err = tmp.resolve("stderr-" + System.nanoTime() + ".txt");
        Process process = new ProcessBuilder(command)
                .directory(tmp.toFile())
                .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")))
                .redirectError(err.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM ends");
        return new String[] {Integer.toString(process.exitValue()), new String(Files.readAllBytes(err), StandardCharsets.UTF_8)};
    }
}
