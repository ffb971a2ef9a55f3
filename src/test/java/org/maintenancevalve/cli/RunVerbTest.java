package org.maintenancevalve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maintenancevalve.state.FlagFileParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} through the real {@link Main} on real files and real child processes, without a
 * Tomcat ({@code --no-wait}: no valve is asked). With real valves: RunScenarios.
 */
class RunVerbTest extends CommandLineTest {

    private Path flag() {
        return dir.resolve("maintenance.flag");
    }

    private Path marker() {
        return dir.resolve("marker");
    }

    /** {@code run --no-wait --flag <flag> <options> -- sh -c <script> sh <flag> <marker> <args>}. */
    private int runScript(List<String> options, String script, String... args) {
        List<String> all = new ArrayList<>(List.of("run", "--no-wait", "--flag", flag().toString()));
        all.addAll(options);
        all.addAll(List.of("--", "/bin/sh", "-c", script, "sh", flag().toString(), marker().toString()));
        all.addAll(Arrays.asList(args));
        return run(all.toArray(new String[0]));
    }

    @Test
    void theCommandRunsInsideTheWindowWithItsOwnArgumentsAndItsExitCodeComesBack() throws IOException {
        // Everything after -- is the command's, even what looks like run's or on's options.
        int code = runScript(List.of("--message", "Backup"),
                "test -f \"$1\" || exit 99; m=\"$2\"; shift 2; echo \"$@\" > \"$m\"; exit 7", "--message", "x", "--", "--bypass");
        assertEquals(7, code, err);
        assertEquals("--message x -- --bypass", Files.readString(marker()).trim());
        assertFalse(Files.exists(flag()), "maintenance is off after a failed command");
        assertTrue(err.contains("Flag file written: a new window."), err);
        assertTrue(err.contains("The command exited with 7 after "), err);
        assertTrue(err.contains("Flag file removed: " + flag()), err);
        assertEquals("", out, "run's own lines go to stderr: the command's output stays clean");
    }

    @Test
    void successEndsTheWindowAndSummarises() {
        assertEquals(0, runScript(List.of(), "test -f \"$1\" && touch \"$2\""), err);
        assertTrue(Files.exists(marker()), "the command ran and saw the flag file");
        assertFalse(Files.exists(flag()));
        assertTrue(err.contains("Starting: /bin/sh -c "), err);
        assertTrue(err.matches("(?s).*\nMaintenance window: \\d+s; requests blocked and admitted: not available"
                + " \\(--no-wait: no valve was asked\\)\\.\n"), err);
    }

    @Test
    void keepOnFailureLeavesMaintenanceOnLoudlyOnlyWhenTheCommandFails() {
        assertEquals(3, runScript(List.of("--keep-on-failure", "--message", "Upgrade"), "exit 3"), err);
        assertTrue(Files.exists(flag()), "still on");
        assertEquals("Upgrade", FlagFileParser.read(flag(), Clock.systemUTC()).message());
        assertTrue(err.contains("MAINTENANCE STAYS ON: the command failed (exit 3) and --keep-on-failure was given."), err);
        assertTrue(err.contains("java -jar maintenance-valve.jar off --flag " + flag()), err);
        assertTrue(err.matches("(?s).*\nMaintenance window: \\d+s so far, and it stays on;.*"), err);

        assertEquals(0, run("off", "--no-wait", "--flag", flag().toString()));
        assertEquals(0, runScript(List.of("--keep-on-failure"), "exit 0"), err);
        assertFalse(Files.exists(flag()), "success: off as usual");
        assertFalse(err.contains("STAYS ON"), err);
    }

    @Test
    void aCommandKilledByASignalGives128PlusItsNumber() {
        assertEquals(137, runScript(List.of(), "kill -KILL $$"), err);
        assertTrue(err.contains("The command exited with 137 (128+9: SIGKILL)"), err);
        assertFalse(Files.exists(flag()));
    }

    @Test
    void aCommandThatIsNotFoundOrNotExecutableGetsTheShellsCodesAndTheWindowEnds() throws IOException {
        assertEquals(127, run("run", "--no-wait", "--flag", flag().toString(), "--", dir.resolve("no-such-program").toString()), err);
        assertTrue(err.contains("the command could not be started: Cannot run program"), err);
        assertFalse(Files.exists(flag()));

        Path notExecutable = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\nexit 0\n");
        assertEquals(126, run("run", "--no-wait", "--keep-on-failure", "--flag", flag().toString(), "--",
                notExecutable.toString()), err);
        assertFalse(Files.exists(flag()), "a command that never ran did not fail half-way: off, --keep-on-failure or not");
    }

    @Test
    void aWindowAlreadyOnIsRefusedAndLeftAsItIs() throws IOException {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--message", "Alice's upgrade"));
        byte[] before = Files.readAllBytes(flag());
        assertEquals(125, runScript(List.of(), "touch \"$2\""), err);
        assertTrue(err.contains("the command was not started: maintenance is already on (full, by "), err);
        assertTrue(err.contains("give --in-window"), err);
        assertFalse(Files.exists(marker()), "not started");
        assertArrayEquals(before, Files.readAllBytes(flag()), "the window there is left as it is");
    }

    @Test
    void aScheduledWindowIsAWindowToo() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--from", "2h"));
        assertEquals(125, runScript(List.of(), "touch \"$2\""), err);
        assertTrue(err.contains("maintenance is already scheduled from "), err);
        assertFalse(Files.exists(marker()));
    }

    @Test
    void inWindowRunsInsideTheWindowThereAndLeavesItOn() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--message", "Alice's upgrade"));
        String window = FlagFileParser.read(flag(), Clock.systemUTC()).window();
        assertEquals(0, runScript(List.of("--in-window", "--message", "Backup running"), "touch \"$2\""), err);
        assertTrue(Files.exists(marker()));
        assertEquals(window, FlagFileParser.read(flag(), Clock.systemUTC()).window(), "the same window, still on");
        assertEquals("Backup running", FlagFileParser.read(flag(), Clock.systemUTC()).message(), "changed as on changes it");
        assertTrue(err.contains("Maintenance stays on: run did not start this window."), err);
    }

    @Test
    void inWindowWithoutAWindowIsRefused() {
        assertEquals(125, runScript(List.of("--in-window"), "touch \"$2\""), err);
        assertTrue(err.contains("--in-window: there is no window on or scheduled in " + flag()), err);
        assertFalse(Files.exists(marker()));
        assertFalse(Files.exists(flag()));
    }

    @Test
    void newReplacesTheWindowThereWithRunsOwnAndEndsIt() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString()));
        String theirs = FlagFileParser.read(flag(), Clock.systemUTC()).window();
        assertEquals(0, runScript(List.of("--new"), "cat \"$1\" > \"$2\""), err);
        assertFalse(Files.exists(flag()), "run's own window: ended");
        assertTrue(err.contains("Flag file written: a new window."), err);
        assertNotEquals(theirs, FlagFileParser.read(marker(), Clock.systemUTC()).window(), "the command ran in a new window");
    }

    @Test
    void aWindowReplacedDuringTheCommandIsNotEnded() {
        // Another admin starts a new window of their own while the command runs: run leaves it.
        String script = "printf '{\"message\":\"theirs\"}' > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"";
        assertEquals(0, runScript(List.of(), script), err);
        assertTrue(Files.exists(flag()), "their window stays");
        assertEquals("theirs", FlagFileParser.read(flag(), Clock.systemUTC()).message());
        assertTrue(err.contains("the flag file holds another window now (someone replaced run's): it is left as it is"), err);
    }

    @Test
    void withNoWaitALaterStartIsRefusedAndTheWindowRemoved() {
        assertEquals(125, runScript(List.of("--from", "1h"), "touch \"$2\""), err);
        assertTrue(err.contains("--no-wait cannot wait for it"), err);
        assertFalse(Files.exists(marker()));
        assertFalse(Files.exists(flag()), "run's own window, never used: removed");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "run --no-wait --flag F",                                   // no --
            "run --no-wait --flag F --",                                // no command
            "run --no-wait --flag F pg_dump jira",                      // the command without --
            "run --flag F --drain 0 -- true",
            "run --flag F --drain soon -- true",
            "run --no-wait --flag F --drain 1m -- true",
            "run --no-wait --flag F --start-anyway -- true",
            "run --no-wait --flag F --in-window --new -- true",
            "run --no-wait --flag F --allow localhost -- true",         // on's own check of addresses
            "run --no-wait --flag F --until 2001-01-01T00:00Z -- true", // the valve's: an end in the past
            "run --no-wait --flag F --bogus -- true",
            "run --flag F --no-wait --jmx 127.0.0.1:9010 -- true",
    })
    void badUsageIs2AndNothingIsWrittenOrRun(String line) {
        String[] args = line.replace("F", flag().toString()).split(" ");
        assertEquals(2, run(args), err);
        assertTrue(err.startsWith("maintenance-valve run: "), err);
        assertTrue(err.contains("Try 'maintenance-valve run --help'."), err);
        assertFalse(Files.exists(flag()), "nothing written");
    }

    @Test
    void helpSaysWhatRunDoes() {
        assertEquals(0, run("run", "--help"));
        assertTrue(out.startsWith("Usage: java -jar maintenance-valve.jar run "), out);
        assertTrue(out.contains("--keep-on-failure"), out);
        assertEquals(0, run("--help"));
        assertTrue(out.contains("  run          run a command inside a maintenance window"), out);
    }

    @Test
    void theCommandIsShownAsAShellWouldQuoteIt() {
        assertEquals("pg_dump -Fc -f /backup/jira.dump 'my db' 'it'\\''s'",
                CommandProcess.display(List.of("pg_dump", "-Fc", "-f", "/backup/jira.dump", "my db", "it's")));
    }

    @Test
    void everythingAfterALeadingDashDashIsTheCommand() {
        // No option at all: the flag from the environment, the local valves asked (none watches it here).
        env.put("MAINTENANCE_FLAG", flag().toString());
        assertEquals(125, run("run", "--", "/bin/sh", "-c", "touch \"$0\"", marker().toString()), err);
        assertTrue(err.contains("NOT CONFIRMED: no running valve watching " + flag() + " was reached on this machine"), err);
        assertTrue(err.contains("the command was not started: maintenance is not confirmed on every valve (see above)."), err);
        assertFalse(Files.exists(marker()));
        assertFalse(Files.exists(flag()), "run's own window, never used: removed");
    }

    @Test
    void wordsBeforeTheDashDashAreNotTheCommand() {
        assertEquals(2, run("run", "--no-wait", "--flag", flag().toString(), "pg_dump", "--", "true"), err);
        assertFalse(Files.exists(flag()));
    }

    @Test
    void anUnusableFlagFileIsAWindowThatRunDoesNotEnd() throws IOException {
        Files.writeString(flag(), "{broken");
        assertEquals(125, runScript(List.of(), "touch \"$2\""), err);
        assertTrue(err.contains("the command was not started: maintenance is already on: the flag file " + flag()
                + " is there but cannot be used ("), err);
        assertEquals("{broken", Files.readString(flag()), "left as it is");

        // Not JSON: not known to be a flag file, so not replaced, --new or not.
        assertEquals(125, runScript(List.of("--new"), "touch \"$2\""), err);
        assertTrue(err.contains("the command was not started: " + flag() + " is not replaced: it is not JSON, so it"
                + " does not read as a maintenance flag file"), err);
        assertFalse(Files.exists(marker()));
        assertEquals("{broken", Files.readString(flag()), "left as it is");

        // A flag file with a bad value is a flag file: --new replaces it.
        Files.writeString(flag(), "{\"mode\":\"maintenance\"}");
        assertEquals(0, runScript(List.of("--new"), "touch \"$2\""), err);
        assertTrue(Files.exists(marker()));
        assertFalse(Files.exists(flag()), "replaced by run's own window, then ended");
    }

    @Test
    void onlyExitCodesOfASignalAreNamedAsOne() {
        assertEquals(129, runScript(List.of(), "kill -HUP $$"), err);
        assertTrue(err.contains("The command exited with 129 (128+1: signal 1) after "), err);
        assertEquals(128, runScript(List.of(), "exit 128"), err);
        assertTrue(err.contains("The command exited with 128 after "), err);
        assertEquals(160, runScript(List.of(), "exit 160"), err);
        assertTrue(err.contains("The command exited with 160 after "), err);
    }

    @Test
    void withNoWaitTheEndIsNotConfirmedEither() {
        assertEquals(0, runScript(List.of(), "true"), err);
        assertTrue(err.contains("Flag file removed: " + flag() + ".\n" + OffVerb.NOT_CONFIRMED + "\n"), err);
    }
}
