package org.maintenancevalve.install;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Run as root, install.sh and uninstall.sh run no java and no jar that another user can change:
 * a release unpacked into someone else's directory, or a {@code JAVA_HOME} anyone can write, is
 * refused before anything runs. Needs root (CI runs as root).
 */
class InstallScriptsAsRootTest {

    @TempDir
    Path tmp;

    private Path release;
    private Path jar;
    private Path realJavaHome;

    @BeforeEach
    void aReleaseOfRoots() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "run as root (CI does): the checks apply to root only");
        release = Files.createDirectories(tmp.resolve("release"));
        Path install = Files.createDirectories(release.resolve("install"));
        for (String script : List.of("common.sh", "install.sh", "uninstall.sh")) {
            Files.copy(Paths.get("install", script), install.resolve(script));
        }
        jar = Fixtures.valveJar(release.resolve("maintenance-valve-9.9.9.jar"), "build");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        realJavaHome = Paths.get(System.getProperty("java.home"));
    }

    @Test
    void aJarInAnotherUsersDirectoryIsNotRunAsRoot() throws Exception {
        UserPrincipal nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
        try (Stream<Path> files = Files.walk(release)) {
            for (Path path : (Iterable<Path>) files::iterator) {
                Files.setOwner(path, nobody);
            }
        }
        for (String script : List.of("install.sh", "uninstall.sh")) {
            Run run = run(script, realJavaHome);
            assertEquals(1, run.code, run.output);
            assertTrue(run.output.contains(script + ": refusing to run the jar " + jar + " as root: " + jar
                    + " is owned by nobody, who could change what root runs."), run.output);
            assertTrue(run.output.contains("sudo cp -r " + release.resolve("install") + " " + jar + " /opt/maintenance-valve/"), run.output);
            assertFalse(run.output.contains("jarfile"), "java never ran: " + run.output);
        }
    }

    @Test
    void aJavaThatEveryoneCanChangeIsNotRunAsRoot() throws Exception {
        Path jdk = Files.createDirectories(tmp.resolve("jdk").resolve("bin"));
        Path java = Files.write(jdk.resolve("java"), "#!/bin/sh\necho ATTACKER-JAVA-RAN\n".getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(tmp.resolve("jdk"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Run run = run("install.sh", tmp.resolve("jdk"));
        assertEquals(1, run.code, run.output);
        assertTrue(run.output.contains("install.sh: refusing to run java " + java + " as root: " + tmp.resolve("jdk")
                + " can be written by everyone, who could change what root runs."), run.output);
        assertTrue(run.output.contains("Use a Java only root can change (set JAVA_HOME to it)"), run.output);
        assertFalse(run.output.contains("ATTACKER-JAVA-RAN"), run.output);
    }

    @Test
    void aJavaAndAJarOfRootsAreRun() throws Exception {
        Run run = run("install.sh", realJavaHome);
        assertEquals(1, run.code, run.output);
        assertTrue(run.output.contains("Error: Invalid or corrupt jarfile " + jar), "java ran the (fake) jar: " + run.output);
        assertFalse(run.output.contains("refusing"), run.output);
    }

    private static final class Run {
        final int code;
        final String output;

        Run(int code, String output) {
            this.code = code;
            this.output = output;
        }
    }

    private Run run(String script, Path javaHome) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList("bash", release.resolve("install").resolve(script).toString(),
                tmp.resolve("no-such-tomcat").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), script + " ends");
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
