package org.maintenancevalve.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.ExitCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Main}'s entry point as root: a verb on a flag file runs as the user {@link ActingUser}
 * chooses, is refused with the reason, or runs here as root. Run from the build's classes there is
 * no jar to run again as that user, which is said and refused before anything is done (the real
 * jar, run as that user, is proven by {@code RootShellScenarios}). Needs root (CI runs as root).
 */
class RootShellTest {

    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();
    private String out;
    private String err;

    @BeforeEach
    void rootOnly() throws IOException {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
                "RootShellTest skipped: run as root (CI does): the choice of user is root's");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private int main(String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = Main.runAsTheRightUser(args, new PrintStream(outBytes, true), new PrintStream(errBytes, true), env);
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return code;
    }

    private static Path ownedBy(Path dir, String uid) throws IOException {
        Files.createDirectories(dir);
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setOwner(lookup.lookupPrincipalByName(uid));
        return dir;
    }

    @Test
    void inADirectoryOfAnotherUserItWouldRunAsThatUserAndSaysWhyNotFromTheClasses() throws IOException {
        Path shared = ownedBy(tmp.resolve("shared-home"), "65534");
        Path flag = shared.resolve("maintenance.flag");
        assertEquals(ExitCode.REFUSED, main("on", "--flag", flag.toString(), "--no-wait"), err);
        assertEquals("maintenance-valve on: refused: as root, this would run as nobody (uid 65534, gid 65534), but it"
                + " was not started from the maintenance-valve jar (java -jar maintenance-valve-<version>.jar), so there"
                + " is no jar to run again as that user. Run it as nobody yourself: setpriv --reuid=65534 --regid=65534"
                + " --init-groups " + AsUser.java() + " -jar maintenance-valve.jar on ... (or sudo -u nobody,"
                + " su -s /bin/sh -c '...' nobody).\n", err);
        assertEquals("", out);
        assertFalse(Files.exists(flag));

        assertEquals(125, main("run", "--flag", flag.toString(), "--no-wait", "--", "touch", tmp.resolve("ran").toString()));
        assertTrue(err.startsWith("maintenance-valve run: the command was not started: as root, this would run as nobody"), err);
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    @Test
    void whenRootCannotTellWhomToActAsNothingIsDone() throws IOException {
        Path upper = ownedBy(tmp.resolve("daemons"), "1");
        Path shared = ownedBy(upper.resolve("shared-home"), "65534");
        Path flag = shared.resolve("maintenance.flag");
        assertEquals(ExitCode.REFUSED, main("off", "--flag", flag.toString()), err);
        assertTrue(err.startsWith("maintenance-valve off: refused: as root, the flag file is not changed in " + shared
                + ", the flag file's directory: more than one user can change it (daemon owns " + upper + "; nobody owns "
                + shared + ")"), err);
    }

    @Test
    void whereOnlyRootCanChangeItRootDoesItHereAsBefore() {
        Path flag = tmp.resolve("maintenance.flag");
        assertEquals(ExitCode.OK, main("on", "--flag", flag.toString(), "--no-wait"), err);
        assertTrue(out.startsWith("Flag file written: a new window."), out);
        assertEquals("", err, "no line about another user");
        assertTrue(Files.exists(flag));
        assertEquals(ExitCode.OK, main("--version"));
    }
}
