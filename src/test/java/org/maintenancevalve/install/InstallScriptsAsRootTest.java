package org.maintenancevalve.install;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
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

    /**
     * A copy of the real JDK this test runs on (its java, lib/ and conf/, as the JVM loads them,
     * Debian's links to /etc included): accepted and run as it is; refused, naming the file, when
     * one file or directory in it is writable by others or another user's, or a link in it leads
     * into a directory everyone can write.
     */
    @Test
    void aRealJdkIsCheckedFileByFile() throws Exception {
        Path jdk = Files.createDirectories(tmp.resolve("jdk17"));
        Files.createDirectories(jdk.resolve("bin"));
        copy(realJavaHome.resolve("bin/java"), jdk.resolve("bin"));
        for (String part : List.of("lib", "conf", "release")) {
            if (Files.exists(realJavaHome.resolve(part), LinkOption.NOFOLLOW_LINKS)) {
                copy(realJavaHome.resolve(part), jdk);
            }
        }
        absoluteLinks(jdk, realJavaHome);
        Path java = jdk.resolve("bin/java");
        Run clean = run("install.sh", jdk);
        assertEquals(1, clean.code, clean.output);
        assertTrue(clean.output.contains("Error: Invalid or corrupt jarfile " + jar), "the copy runs: " + clean.output);
        assertFalse(clean.output.contains("refusing"), clean.output);

        Path libjvm = jdk.resolve("lib/server/libjvm.so");
        assertRefusedWhile(jdk, libjvm, "rwxrwxr-x", null, java + " as root: " + libjvm + " can be written by its group");
        Path libzip = jdk.resolve("lib/libzip.so");
        assertRefusedWhile(jdk, libzip, null, "65534", java + " as root: " + libzip + " is owned by nobody");
        Path security = jdk.resolve("lib/security");
        assertRefusedWhile(jdk, security, "rwxr-xrwx", null, java + " as root: " + security + " can be written by everyone");

        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path planted = Files.write(Files.createDirectories(open.resolve("lib")).resolve("libextra.so"), new byte[] {1});
        Files.setPosixFilePermissions(planted.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(jdk.resolve("lib/libextra.so"), planted);
        Run linked = run("install.sh", jdk);
        assertEquals(1, linked.code, linked.output);
        assertTrue(linked.output.contains("(its " + link + ", a link to " + planted + ", in) " + planted.getParent()
                + " as root: " + planted.getParent() + " can be written by everyone"), linked.output);
        assertFalse(linked.output.contains("jarfile"), "java never ran: " + linked.output);
        Files.delete(link);

        Run again = run("uninstall.sh", jdk);
        assertFalse(again.output.contains("refusing"), "restored, accepted again: " + again.output);
    }

    /** A Java 8 JDK: java loads jre/lib (rt.jar, amd64/server/libjvm.so, ext/*.jar), not only lib/. */
    @Test
    void aJava8JdkIsCheckedUnderJreToo() throws Exception {
        Path jdk = java8Layout(tmp.resolve("jdk8"), "jre/");
        Path java = jdk.resolve("bin/java");
        Run clean = run("install.sh", jdk);
        assertEquals(0, clean.code, clean.output);
        assertTrue(clean.output.contains("FAKE-JAVA-8 " + java + " -jar " + jar), "a clean layout runs: " + clean.output);

        Path libjvm = jdk.resolve("jre/lib/amd64/server/libjvm.so");
        assertRefusedWhile(jdk, libjvm, "rw-rw-r--", null, java + " as root: " + libjvm + " can be written by its group");
        Path ext = jdk.resolve("jre/lib/ext/localedata.jar");
        assertRefusedWhile(jdk, ext, null, "65534", java + " as root: " + ext + " is owned by nobody");
        Path extDir = jdk.resolve("jre/lib/ext");
        assertRefusedWhile(jdk, extDir, "rwxrwxrwx", null, java + " as root: " + extDir + " can be written by everyone");
        Path rt = jdk.resolve("jre/lib/rt.jar");
        assertRefusedWhile(jdk, rt, "rw-r--rw-", null, java + " as root: " + rt + " can be written by everyone");
    }

    /** Jira's and Confluence's bundled Java 8 JRE: lib/amd64/server/libjvm.so and lib/ext. */
    @Test
    void aJava8JreIsCheckedFileByFile() throws Exception {
        Path jre = java8Layout(tmp.resolve("jre8"), "");
        Path java = jre.resolve("bin/java");
        Run clean = run("uninstall.sh", jre);
        assertTrue(clean.output.contains("FAKE-JAVA-8 " + java + " -jar " + jar), "a clean layout runs: " + clean.output);
        Path libjvm = jre.resolve("lib/amd64/server/libjvm.so");
        assertRefusedWhile(jre, libjvm, "rw-r--rw-", null, java + " as root: " + libjvm + " can be written by everyone");
        Path ext = jre.resolve("lib/ext/nashorn.jar");
        assertRefusedWhile(jre, ext, null, "65534", java + " as root: " + ext + " is owned by nobody");
    }

    /**
     * JAVA_HOME in another user's directory whose bin/java is a link to a Java of root's: what runs is
     * the real path that was checked, not the link that user could swap after the check.
     */
    @Test
    void theJavaCheckedIsTheJavaRun() throws Exception {
        Path jdk = java8Layout(tmp.resolve("jdk8"), "");
        Path theirs = Files.createDirectories(tmp.resolve("theirs").resolve("bin"));
        Files.createSymbolicLink(theirs.resolve("java"), jdk.resolve("bin/java"));
        UserPrincipal nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
        Files.setOwner(theirs, nobody);
        Files.setOwner(theirs.getParent(), nobody);
        Run run = run("install.sh", theirs.getParent());
        assertEquals(0, run.code, run.output);
        assertTrue(run.output.contains("FAKE-JAVA-8 " + jdk.resolve("bin/java") + " -jar " + jar), run.output);
    }

    /**
     * A Java 8 layout of fake files, all root's; {@code bin/java} is a script that says how it was
     * run. With {@code jre = "jre/"} a JDK (its JVM under jre/), with {@code ""} a JRE.
     */
    private static Path java8Layout(Path home, String jre) throws IOException {
        for (String file : List.of("lib/tools.jar", jre + "lib/rt.jar", jre + "lib/amd64/server/libjvm.so",
                jre + "lib/amd64/libjava.so", jre + "lib/amd64/jvm.cfg", jre + "lib/ext/localedata.jar",
                jre + "lib/ext/nashorn.jar", jre + "lib/security/java.security")) {
            Files.createDirectories(home.resolve(file).getParent());
            Files.write(home.resolve(file), new byte[] {1});
            Files.setPosixFilePermissions(home.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.write(java, "#!/bin/sh\necho FAKE-JAVA-8 \"$0\" \"$1\" \"$2\"\n".getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> all = Files.walk(home)) {
            for (Path path : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(path)) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        return home;
    }

    /**
     * Refused (by install.sh and uninstall.sh) while {@code path} has that mode or owner, with
     * the reason and the fix, before java runs; then put back as it was.
     */
    private void assertRefusedWhile(Path home, Path path, String mode, String owner, String reason) throws Exception {
        Set<PosixFilePermission> was = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal wasOwner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
        if (mode != null) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        }
        if (owner != null) {
            Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner));
        }
        try {
            for (String script : List.of("install.sh", "uninstall.sh")) {
                Run run = run(script, home);
                assertEquals(1, run.code, run.output);
                assertTrue(run.output.contains(script + ": refusing to run java " + reason + ", who could change what root runs"),
                        run.output);
                assertTrue(run.output.contains("Fix: chown root: " + path + " && chmod go-w " + path), run.output);
                assertFalse(run.output.contains("jarfile") || run.output.contains("FAKE-JAVA"), "java never ran: " + run.output);
            }
        } finally {
            Files.setOwner(path, wasOwner);
            Files.setPosixFilePermissions(path, was);
        }
    }

    /**
     * The copy's relative links (Debian's {@code lib/src.zip -> ../../openjdk-17/src.zip}) made to
     * lead where the original's lead, as they would in place.
     */
    private static void absoluteLinks(Path copy, Path original) throws IOException {
        try (Stream<Path> all = Files.walk(copy)) {
            for (Path link : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(link)) {
                    Path target = Files.readSymbolicLink(link);
                    if (!target.isAbsolute()) {
                        Path inOriginal = original.resolve(copy.relativize(link)).getParent();
                        Files.delete(link);
                        Files.createSymbolicLink(link, inOriginal.resolve(target).normalize());
                    }
                }
            }
        }
    }

    /** {@code cp -a}: owners, modes and links as they are. */
    private static void copy(Path from, Path intoDirectory) throws Exception {
        Process cp = new ProcessBuilder("cp", "-a", from.toString(), intoDirectory.toString()).inheritIO().start();
        assertTrue(cp.waitFor(60, TimeUnit.SECONDS), "cp ends");
        assertEquals(0, cp.exitValue(), "cp -a " + from);
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
