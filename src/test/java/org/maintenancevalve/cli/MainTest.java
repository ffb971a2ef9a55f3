package org.maintenancevalve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.config.Version;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String out() {
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private String err() {
        return new String(err.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryVerb() {
        assertEquals(ExitCode.OK, run("--help"));
        assertTrue(out().startsWith("Usage: java -jar maintenance-valve.jar <command> [arguments]"), out());
        assertTrue(out().contains("\n  install      "), out());
        assertTrue(out().contains("\n  uninstall    "), out());
        assertEquals("", err());
    }

    @Test
    void versionIsPrintedByTheOptionAndByStatus(@TempDir Path tmp) {
        assertEquals(ExitCode.OK, run("--version"));
        assertEquals("maintenance-valve " + Version.current() + "\n", out());
        assertFalse(Version.current().equals("unknown"), "run from classes Maven filtered");
        out.reset();
        assertEquals(ExitCode.OK, run("status", "--flag", tmp.resolve("maintenance.flag").toString(), "--no-jmx"));
        assertTrue(out().contains("\n  version:      " + Version.current() + " "), out());
        assertEquals("", err());
    }

    @Test
    void noCommandIsBadUsage() {
        assertEquals(ExitCode.USAGE, run());
        assertEquals("maintenance-valve: no command given. Try 'maintenance-valve --help'.\n", err());
    }

    @Test
    void anUnknownCommandIsBadUsage() {
        assertEquals(ExitCode.USAGE, run("instal", "/opt/jira"));
        assertEquals("maintenance-valve: unknown command 'instal'. Try 'maintenance-valve --help'.\n", err());
        assertEquals("", out());
    }

    @Test
    void argsParsesValuesSwitchesAndPositionals() throws UsageException {
        Args args = Args.spec().values("--flag").repeatable("--allow").switches("--dry-run")
                .parse(java.util.Arrays.asList("/opt/jira", "--flag=/x", "--allow", "a", "--allow", "b", "--dry-run"));
        assertEquals(java.util.Collections.singletonList("/opt/jira"), args.positional());
        assertEquals("/x", args.value("--flag"));
        assertEquals(java.util.Arrays.asList("a", "b"), args.all("--allow"));
        assertTrue(args.has("--dry-run"));
        assertTrue(!args.given("--preset"));
    }
}
