package org.maintenancevalve.jmxclient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.UsageException;

import javax.management.remote.JMXConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JMX login: the user from {@code --jmx-user} or the environment, the password from a file that
 * is the caller's alone or from the environment, never from the command line; a password file others
 * can read, a link, another user's file, or (as root) one in a directory another user can change is
 * refused with the fix.
 */
class JmxLoginTest {

    @TempDir
    Path dir;

    private static JmxLogin login(Map<String, String> env, String... args) throws UsageException {
        return JmxLogin.from(JmxLogin.options(Args.spec()).parse(List.of(args)), env);
    }

    private Path passwordFile(String name, String text, String mode) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String[] credentials(JmxLogin login) {
        return (String[]) login.environment().get(JMXConnector.CREDENTIALS);
    }

    @Test
    void theFirstLineOfAFileOfTheCallersAloneIsThePassword() throws Exception {
        Path file = passwordFile("pw", "s3cret-Pass\r\nsecond line\n", "rw-------");
        JmxLogin login = login(Map.of(), "--jmx-user", "ops", "--jmx-password-file", file.toString());
        assertArrayEquals(new String[] {"ops", "s3cret-Pass"}, credentials(login));
        assertEquals(" --jmx-user ops --jmx-password-file " + file, login.asOptions(), "a command to copy never holds the password");

        Path readOnly = passwordFile("pw-400", "other\n", "r--------");
        assertArrayEquals(new String[] {"ops", "other"},
                credentials(login(Map.of("MAINTENANCE_JMX_USER", "ops"), "--jmx-password-file", readOnly.toString())));
    }

    @Test
    void aPasswordFileOthersCouldReadIsRefusedWithTheFix() throws Exception {
        for (String mode : List.of("rw-r-----", "rw----r--", "rw--w----", "rw------x")) {
            Path file = passwordFile("pw-" + mode, "s3cret\n", mode);
            UsageException e = assertThrows(UsageException.class,
                    () -> login(Map.of(), "--jmx-user", "ops", "--jmx-password-file", file.toString()));
            assertTrue(e.getMessage().startsWith("--jmx-password-file: " + file + " can be read or changed by others (mode "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("make it yours alone: chmod 600 " + file), e.getMessage());
        }
    }

    @Test
    void aLinkAnEmptyFileAndADirectoryAreRefused() throws Exception {
        Path file = passwordFile("pw", "s3cret\n", "rw-------");
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        UsageException linked = assertThrows(UsageException.class,
                () -> login(Map.of(), "--jmx-user", "ops", "--jmx-password-file", link.toString()));
        assertEquals("--jmx-password-file: " + link + " is a symbolic link: name the file itself", linked.getMessage());

        Path empty = passwordFile("empty", "\n", "rw-------");
        assertTrue(assertThrows(UsageException.class,
                () -> login(Map.of(), "--jmx-user", "ops", "--jmx-password-file", empty.toString()))
                .getMessage().endsWith(empty + " is empty: put the password on its first line"));

        Path directory = Files.createDirectory(dir.resolve("d"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        assertTrue(assertThrows(UsageException.class,
                () -> login(Map.of(), "--jmx-user", "ops", "--jmx-password-file", directory.toString()))
                .getMessage().endsWith(directory + " is not a regular file"));

        Path big = passwordFile("big", "x".repeat(5000), "rw-------");
        assertTrue(assertThrows(UsageException.class,
                () -> login(Map.of(), "--jmx-user", "ops", "--jmx-password-file", big.toString()))
                .getMessage().contains("is longer than 4096 bytes"));
    }

    @Test
    void asRootAPasswordFileMustBeRootsInADirectoryOnlyRootCanChange() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "run as root (CI does): the rule applies to root");
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path theirs = passwordFile("theirs", "s3cret\n", "rw-------");
        Files.setOwner(theirs, nobody);
        UsageException owned = assertThrows(UsageException.class,
                () -> login(Map.of(), "--jmx-user", "ops", "--jmx-password-file", theirs.toString()));
        assertTrue(owned.getMessage().startsWith("--jmx-password-file: " + theirs + " belongs to nobody, not to the user"),
                owned.getMessage());

        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setOwner(shared, nobody);
        Path mine = passwordFile("shared/mine", "s3cret\n", "rw-------");
        UsageException swappable = assertThrows(UsageException.class,
                () -> login(Map.of(), "--jmx-user", "ops", "--jmx-password-file", mine.toString()));
        assertEquals("--jmx-password-file: " + mine + ": " + shared + " is owned by nobody, who could put another of root's"
                + " files under this name; keep it in a directory only root can change, e.g. /root", swappable.getMessage());
    }

    @Test
    void withoutOptionsTheEnvironmentAndNeverAPasswordOnTheCommandLine() throws Exception {
        assertFalse(login(Map.of()).given(), "no login: a port without a password");
        assertTrue(login(Map.of()).environment().isEmpty());
        JmxLogin fromEnv = login(Map.of("MAINTENANCE_JMX_USER", "ops", "MAINTENANCE_JMX_PASSWORD", "s3cret"));
        assertArrayEquals(new String[] {"ops", "s3cret"}, credentials(fromEnv));
        assertEquals("", fromEnv.asOptions(), "the password variable is not repeated in a command");
        assertArrayEquals(new String[] {"admin", "s3cret"},
                credentials(login(Map.of("MAINTENANCE_JMX_USER", "ops", "MAINTENANCE_JMX_PASSWORD", "s3cret"), "--jmx-user", "admin")));

        UsageException noPassword = assertThrows(UsageException.class, () -> login(Map.of(), "--jmx-user", "ops"));
        assertEquals("--jmx-user ops: give its password with --jmx-password-file FILE (or $MAINTENANCE_JMX_PASSWORD), never"
                + " on the command line", noPassword.getMessage());
        Path file = passwordFile("pw", "s3cret\n", "rw-------");
        UsageException noUser = assertThrows(UsageException.class, () -> login(Map.of(), "--jmx-password-file", file.toString()));
        assertEquals("--jmx-password-file needs the user it is the password of: --jmx-user NAME (or $MAINTENANCE_JMX_USER)",
                noUser.getMessage());
        assertThrows(UsageException.class, () -> login(Map.of(), "--jmx-password", "s3cret"), "no such option");
    }

    @Test
    void aRefusedLoginSaysHowToGiveOne() {
        assertEquals("Authentication failed! Credentials required: the port asks for a user and password: give --jmx-user"
                + " NAME and --jmx-password-file FILE (or set MAINTENANCE_JMX_USER and MAINTENANCE_JMX_PASSWORD)",
                JmxRemote.loginFailed("Authentication failed! Credentials required", JmxLogin.NONE));
    }
}
