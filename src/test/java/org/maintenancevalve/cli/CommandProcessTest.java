package org.maintenancevalve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How run stops the command it started when it is told to stop: the command and what it started,
 * politely first (SIGTERM), by force after the grace time (SIGKILL).
 */
class CommandProcessTest {

    @TempDir
    Path dir;

    /** Starts a shell that starts {@code sleep 60} in the background (its pid in a file) and waits for it. */
    private Process shellWithAChild(String prelude, Path pidFile) throws Exception {
        Process shell = CommandProcess.start(List.of("/bin/sh", "-c",
                prelude + "sleep 60 & echo $! > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"; wait", "sh", pidFile.toString()));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(pidFile)) {
            assertTrue(System.nanoTime() - deadline < 0, "the shell started its child");
            Thread.sleep(20);
        }
        return shell;
    }

    private static Optional<ProcessHandle> child(Path pidFile) throws IOException {
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
    }

    private static void assertGone(Optional<ProcessHandle> process) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (process.isPresent() && process.get().isAlive()) {
            assertTrue(System.nanoTime() - deadline < 0, "the command's child has stopped");
            Thread.sleep(20);
        }
    }

    @Test
    void aCommandThatStopsWhenToldStopsWithWhatItStarted() throws Exception {
        Path pidFile = dir.resolve("pid");
        Process shell = shellWithAChild("", pidFile);
        Optional<ProcessHandle> sleep = child(pidFile);
        assertTrue(sleep.isPresent() && sleep.get().isAlive());

        long started = System.nanoTime();
        assertTrue(CommandProcess.stop(shell, 20_000), "stopped by itself within the grace time");
        assertTrue((System.nanoTime() - started) / 1_000_000 < 15_000, "did not wait for the whole grace time");
        assertFalse(shell.isAlive());
        assertGone(sleep);
    }

    @Test
    void aCommandThatIgnoresSigtermIsKilledAfterTheGraceTime() throws Exception {
        Path pidFile = dir.resolve("pid");
        // An ignored signal stays ignored in what the shell starts: neither stops on SIGTERM.
        Process shell = shellWithAChild("trap '' TERM; ", pidFile);
        Optional<ProcessHandle> sleep = child(pidFile);

        long started = System.nanoTime();
        assertFalse(CommandProcess.stop(shell, 500), "had to be killed");
        long took = (System.nanoTime() - started) / 1_000_000;
        assertTrue(took >= 500, "waited the grace time first: " + took + " ms");
        assertFalse(shell.isAlive(), "killed");
        assertGone(sleep);
    }

    @Test
    void aCommandThatCannotBeStartedGetsTheShellsExitCode() throws IOException {
        CommandProcess.NotStarted notFound = assertThrows(CommandProcess.NotStarted.class,
                () -> CommandProcess.start(List.of(dir.resolve("nothing").toString())));
        assertEquals(CommandProcess.NOT_FOUND, notFound.exitCode);
        assertTrue(notFound.getMessage().startsWith("Cannot run program"), notFound.getMessage());

        CommandProcess.NotStarted aDirectory = assertThrows(CommandProcess.NotStarted.class,
                () -> CommandProcess.start(List.of(dir.toString())));
        assertEquals(CommandProcess.CANNOT_EXECUTE, aDirectory.exitCode);

        CommandProcess.NotStarted nul = assertThrows(CommandProcess.NotStarted.class,
                () -> CommandProcess.start(List.of("/bin/true", "a\u0000b")));
        assertEquals(CommandProcess.CANNOT_EXECUTE, nul.exitCode, nul.getMessage());
    }

    @Test
    void theCommandIsShownAsTheAdminTypedIt() {
        assertEquals("pg_dump -Fc 'my db' '' 'a$b'", CommandProcess.display(List.of("pg_dump", "-Fc", "my db", "", "a$b")));
    }
}
