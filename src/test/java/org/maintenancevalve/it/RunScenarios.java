package org.maintenancevalve.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} as an admin runs it: the real jar in a JVM of its own, around a real command (a bash
 * script), against a real Tomcat whose valve polls only every {@link TomcatScenarios#LONG_POLL_MILLIS}:
 * a request answered 503 while the command runs, or 200 right after run returns, was made so by
 * run's own confirmation, not by a poll. Signals go to the run process alone (kill -INT, kill
 * -TERM), the harder case: from a terminal, Ctrl-C reaches the command too.
 */
abstract class RunScenarios extends TomcatScenarios {


    private Path work;

    RunScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void start() throws IOException {
        startTomcat("run", "run-flags", LONG_POLL_MILLIS, "", builder -> builder);
    }

    @BeforeEach
    void freshWorkDirectory() throws IOException {
        work = Files.createTempDirectory(flag.getParent(), "command-");
    }

    /** Whatever a failed test left running: run itself, and processes of its command. */
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void off() {
        for (ProcessHandle process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        started.clear();
        assertEquals(0, cli("off", "--flag", flag.toString(), "--jmx", jmx()), err + out);
    }

    private long count(String name) {
        return ((Number) attribute(name)).longValue();
    }

    /** A bash script in the work directory; it gets the HTTP port and the work directory as $1 and $2. */
    private Path script(String body) throws IOException {
        Path script = work.resolve("command.sh");
        Files.writeString(script, "#!/bin/bash\nport=$1; work=$2\n"
                // A user's request, with bash alone: the status code goes to $work/status.
                + "user_request() {\n"
                + "  exec 3<>/dev/tcp/127.0.0.1/$port\n"
                + "  printf 'GET / HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' >&3\n"
                + "  read -r _ code _ <&3; exec 3<&-\n"
                + "  echo \"$code\" > \"$work/status\"\n"
                + "}\n"
                + body + "\n");
        return script;
    }

    /** {@code java -jar <jar> run --flag <flag> --jmx <port> <options> -- bash <script> <port> <work>}, started. */
    private JarRun run(Path script, String... options) throws IOException {
        // A JVM does not handle a signal ignored when it started (as under nohup, or a background job of a
        // shell without job control); run from a terminal, it is not ignored. Reset it as a terminal has it.
        List<String> prefix = ignoresSigint() ? List.of("env", "--default-signal=INT") : List.of();
        List<String> args = new ArrayList<>(List.of("run", "--flag", flag.toString(), "--jmx", jmx()));
        args.addAll(Arrays.asList(options));
        args.addAll(List.of("--", "bash", script.toString(), String.valueOf(tomcat.httpPort()), work.toString()));
        JarRun run = JarRun.start(work, prefix, args);
        started.add(run.process.toHandle());
        return run;
    }

    private static boolean ignoresSigint() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }

    private String file(String name) throws IOException {
        Path file = work.resolve(name);
        return Files.exists(file) ? Files.readString(file).trim() : null;
    }

    @Test
    void theCommandRunsWhileUsersAreHeldOutAndTheyAreBackWhenRunReturns() throws Exception {
        assertEquals(200, status("/"));
        JarRun run = run(script("user_request; echo 'the dump itself'"), "--message", "Backup", "--for", "1h");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("503", file("status"), "a user's request while the command ran");
        assertEquals(200, status("/"), "back in when run returns (the valve's own poll is 10 s away)");
        assertFalse(Files.exists(flag));
        assertEquals("the dump itself\n", run.out(), "stdout holds the command's output only (run ... > dump works)");
        String err = run.err();
        assertTrue(err.contains("Maintenance is on (full): applied by every valve reached (1)."), err);
        assertTrue(err.contains("Idle: no request from before maintenance is still running (" + jmx() + ")."), err);
        assertTrue(err.contains("The command exited with 0 after "), err);
        assertTrue(err.contains("Maintenance is off: applied by every valve reached (1)."), err);
        assertTrue(err.matches("(?s).*\nMaintenance window: \\d+s; 1 request\\(s\\) blocked, 0 admitted \\(1 valve\\)\\.\n"),
                "the summary counts the one request of the command: " + err);
    }

    @Test
    void aFailedCommandEndsTheWindowAndItsExitCodeComesBack() throws Exception {
        JarRun run = run(script("user_request; exit 3"));
        assertEquals(3, run.exitCode(), run.err());
        assertEquals("503", file("status"));
        assertEquals(200, status("/"), "off after a failure too");
        assertTrue(run.err().contains("The command exited with 3 after "), run.err());
    }

    @Test
    void keepOnFailureLeavesUsersOutAndSaysSo() throws Exception {
        JarRun run = run(script("exit 4"), "--keep-on-failure");
        assertEquals(4, run.exitCode(), run.err());
        assertEquals(503, status("/"), "still held out");
        assertTrue(Files.exists(flag));
        assertTrue(run.err().contains("MAINTENANCE STAYS ON: the command failed (exit 4) and --keep-on-failure was given."),
                run.err());
    }

    @Test
    void sigtermToRunStopsTheCommandAndWhatItStartedAndEndsTheWindow() throws Exception {
        signalToRun("TERM", 143);
    }

    @Test
    void sigintToRunStopsTheCommandAndWhatItStartedAndEndsTheWindow() throws Exception {
        signalToRun("INT", 130);
    }

    private void signalToRun(String signal, int expectedExit) throws Exception {
        // The script and a child of its own (sleep): both must be gone when run has ended.
        JarRun run = run(script("user_request; echo $$ > \"$work/pids\"; sleep 300 & echo $! >> \"$work/pids\"; wait"));
        List<Long> pids = Await.until(Duration.ofSeconds(60), "the command has started its child", () -> {
            try {
                String pidText = file("pids");
                return pidText == null ? List.<Long>of() : Stream.of(pidText.split("\\s+")).map(Long::parseLong).toList();
            } catch (IOException | NumberFormatException e) {
                return List.<Long>of();
            }
        }, list -> list.size() == 2);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(started::add);
        }
        assertEquals("503", file("status"));
        Process kill = new ProcessBuilder("bash", "-c", "kill -" + signal + " " + run.process.pid()).inheritIO().start();
        assertEquals(0, kill.waitFor());

        assertEquals(expectedExit, run.exitCode(), "128 + SIG" + signal + ": " + run.err());
        assertFalse(Files.exists(flag), run.err());
        assertEquals(200, status("/"), "back in: the window ended before run exited");
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "process " + pid + " of the command was stopped: " + run.err());
        }
        String err = run.err();
        assertTrue(err.contains("told to stop: stopping the command"), err);
        assertTrue(err.contains("Maintenance is off: applied by every valve reached (1)."), err);
        assertTrue(err.contains("Maintenance window: "), err);
    }

    @Test
    void theCommandStartsOnlyOnceTheRequestsFromBeforeHaveFinished() throws Exception {
        long sent = System.currentTimeMillis();
        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> Http.get(tomcat.httpPort(), "/slow.jsp?ms=3000"));
        Await.until(Duration.ofSeconds(10), "a slow request in flight", () -> count("inFlight") >= 1);
        JarRun run = run(script("date +%s%3N > \"$work/started\""), "--drain", "30s");
        assertEquals(0, run.exitCode(), run.err());
        long started = Long.parseLong(file("started"));
        assertTrue(started - sent >= 3000, "started " + (started - sent) + " ms after the 3 s request was sent");
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).status(), "the request from before finished normally");
    }

    @Test
    void requestsStillRunningAfterDrainMeanTheCommandIsNotStarted() throws Exception {
        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> Http.get(tomcat.httpPort(), "/slow.jsp?ms=6000"));
        Await.until(Duration.ofSeconds(10), "a slow request in flight", () -> count("inFlight") >= 1);
        JarRun run = run(script("touch \"$work/started\""), "--drain", "1s");
        assertEquals(125, run.exitCode(), run.err());
        assertFalse(Files.exists(work.resolve("started")), "not started");
        String err = run.err();
        assertTrue(err.contains("1 request(s) from before maintenance still running after 1s (" + jmx() + ")."), err);
        assertTrue(err.contains("the command was not started: 1 request(s) from before maintenance still running after"
                + " --drain 1s (--start-anyway starts the command all the same)."), err);
        assertEquals(200, status("/"), "and maintenance is off again");
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void startAnywayStartsTheCommandAllTheSame() throws Exception {
        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> Http.get(tomcat.httpPort(), "/slow.jsp?ms=5000"));
        Await.until(Duration.ofSeconds(10), "a slow request in flight", () -> count("inFlight") >= 1);
        JarRun run = run(script("user_request"), "--drain", "1s", "--start-anyway");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("503", file("status"), "started, inside the window");
        assertTrue(run.err().contains("Starting all the same (--start-anyway): those requests may still change data."), run.err());
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void aLaterStartIsWaitedForBeforeTheCommandStarts() throws Exception {
        // --drain counts from the start: 1 s of it is enough, 3 s ahead.
        JarRun run = run(script("user_request; date +%s%3N > \"$work/started\""), "--from", "3s", "--drain", "1s");
        assertEquals(0, run.exitCode(), run.err());
        String err = run.err();
        assertTrue(err.contains("Maintenance (full) is scheduled from "), err);
        java.time.Instant from = java.time.Instant.parse(err.replaceFirst("(?s).*Waiting for the window to start at (\\S+) .*", "$1"));
        assertTrue(Long.parseLong(file("started")) >= from.toEpochMilli(), "started at " + file("started") + ", from " + from);
        assertEquals("503", file("status"), "in force when the command starts");
        assertEquals(200, status("/"));
    }

    @Test
    void noValveWatchingTheFlagMeansTheCommandIsNotStarted() throws Exception {
        Path elsewhere = flag.resolveSibling("not-watched.flag");
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JarRun.jar().toString(), "run", "--flag", elsewhere.toString(), "--jmx", jmx(), "--", "touch", "started");
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("run.err").toFile()).start();
        assertTrue(process.waitFor(JarRun.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        String err = Files.readString(work.resolve("run.err"));
        assertEquals(125, process.exitValue(), err);
        assertTrue(err.contains("NOT CONFIRMED: " + jmx() + ": no MaintenanceValve there watches " + elsewhere), err);
        assertTrue(err.contains("the command was not started: maintenance is not confirmed on every valve"), err);
        assertFalse(Files.exists(work.resolve("started")));
        assertFalse(Files.exists(elsewhere), "run's window removed again");
    }
}
