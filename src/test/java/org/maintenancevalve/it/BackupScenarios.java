package org.maintenancevalve.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise the product exists for, proven on a real database: a backup taken during a window is
 * consistent, nothing writes while it runs. A real PostgreSQL ({@link PostgresServer}), a test app
 * whose POST inserts a row with a unique token (src/test/resources/db-app, PostgreSQL's JDBC
 * driver in its WEB-INF/lib), writers hammering it over HTTP, a slow write begun just before the
 * window, and {@code run --drain} around a script that counts the rows, runs {@code pg_dump},
 * waits and counts again. Every answer is accounted for: 200 means in the database, 503 means not,
 * nothing else. The app's stand-in for the products' mail poller shows incoming mail paused during
 * the window and fetched again after it; a value set at start-up survives a window. The valve
 * polls only every {@link TomcatScenarios#LONG_POLL_MILLIS}: what happens is run's doing.
 */
abstract class BackupScenarios extends TomcatScenarios {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int WRITERS = 3;
    private static final Pattern MAIL = Pattern.compile("fetched=(\\d+) skipped=(\\d+) first=\\d+ last=\\d+ property=(\\S*)");

    /** The database, or {@code null} when PostgreSQL is not available here (see {@link #dbUnavailable}). */
    private PostgresServer db;
    private String dbUnavailable;
    /** The flag file of a second valve, at Context level, that pauses mail in its full windows. */
    private Path contextFlag;
    private Path work;
    /** Whatever a failed test left running: run itself, and processes of its command. */
    private final List<ProcessHandle> started = new ArrayList<>();

    BackupScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void start() throws IOException {
        try {
            db = PostgresServer.start();
            db.sql("CREATE TABLE writes (token text PRIMARY KEY, written timestamptz NOT NULL DEFAULT clock_timestamp())");
        } catch (TestAbortedException e) {
            // The tests of the database are skipped; those of mail alone still run.
            dbUnavailable = e.getMessage();
        }
        contextFlag = TomcatServer.freshFlagFile("backup-context-flags", version);
        startTomcat("backup", "backup-flags", LONG_POLL_MILLIS, "preset=\"jira\"", builder -> builder.app("db-app")
                .webappLib(jdbcDriver())
                .systemProperty("it.db.url", db == null ? "jdbc:postgresql://127.0.0.1:1/none" : db.jdbcUrl())
                .valve(TomcatServer.Level.CONTEXT, "flagFile=\"" + contextFlag + "\" pollInterval=\"" + POLL_MILLIS
                        + "\" pauseIncomingMail=\"full\" allowPaths=\"/mail.jsp\""));
    }

    @AfterAll
    void stopDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void freshWorkDirectory() throws IOException {
        work = Files.createTempDirectory(flag.getParent(), "backup-");
    }

    @AfterEach
    void off() throws Exception {
        for (ProcessHandle process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        started.clear();
        assertEquals(0, cli("off", "--flag", flag.toString(), "--jmx", jmx()), err + out);
        Files.deleteIfExists(contextFlag);
        invoke(valve(true), "refresh");
    }

    private static Path jdbcDriver() {
        return Paths.get(System.getProperty("postgresql.jdbc.jar", "target/it-webapp-libs/postgresql.jar"));
    }

    private void requireDatabase() {
        Assumptions.assumeTrue(db != null, () -> dbUnavailable);
    }

    // ------------------------------------------------------------ the consistent backup

    @Test
    void aBackupInFullMaintenanceSeesNoWriteAndEveryAnswerIsAccountedFor() throws Exception {
        backup("full");
    }

    @Test
    void aBackupInReadOnlyMaintenanceSeesNoWriteWhileEveryReadIsAnswered() throws Exception {
        backup("read-only");
    }

    private void backup(String mode) throws Exception {
        requireDatabase();
        boolean readOnly = mode.equals("read-only");
        long logBefore = tomcat.log().length();
        Load load = new Load(mode, readOnly);
        try {
            Await.until(DEADLINE, "writes answered 200 before the window", () -> load.count(200, 0) >= 10);

            // A slow write, begun just before the window: it holds its transaction open until the
            // valve holds users out, and a second more.
            String slowToken = "slow-" + mode;
            CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(
                    () -> RawHttp.send(tomcat.httpPort(), post(slowToken, "&hold=1000&untilMaintenance=1"),
                            Duration.ofSeconds(60)));
            Await.until(DEADLINE, "the slow write holds its row", () -> get("/holding.jsp").body().contains(slowToken));

            long launched = System.currentTimeMillis();
            JarRun run = run(backupScript(), readOnly ? "--read-only" : "--full", "--message", "Backup", "--for", "1h",
                    "--drain", "30s");
            // While the backup runs: JMX and status say mail is paused.
            Await.until(JarRun.TIMEOUT, "the command inside the window (or run ended)",
                    () -> Files.exists(work.resolve("in-window")) || !run.process.isAlive());
            assertTrue(Files.exists(work.resolve("in-window")), "the command ran: " + run.err());
            MBeanServerConnection jmx = tomcat.jmx();
            assertEquals(Boolean.TRUE, jmx.getAttribute(valve(false), "incomingMailPaused"));
            assertEquals("paused by this valve's window", jmx.getAttribute(valve(false), "incomingMail"));
            assertEquals(0, cli("status", "--flag", flag.toString(), "--jmx", jmx()), err);
            assertTrue(out.contains("; incoming mail paused by this valve's window\n"), out);
            Files.createFile(work.resolve("go"));
            assertEquals(0, run.exitCode(), run.err());
            long returned = System.currentTimeMillis();

            // Writes succeed again at once: run confirmed the end (the valve's own poll is 10 s away).
            assertEquals(200, RawHttp.send(tomcat.httpPort(), post("after-" + mode, "")).status(), "a write right after");
            Await.until(DEADLINE, "writes answered 200 after the window", () -> load.count(200, returned) >= 3);
            load.stop();

            long commandStarted = millis("started");
            long commandEnded = millis("ended");
            String[] counts = file("counts").split(" ");
            Set<String> dumped = dumpedTokens();
            Set<String> stored = new HashSet<>(List.of(db.sql("SELECT token FROM writes").split("\n")));

            // The backup is consistent: nothing was written while it ran.
            assertEquals(counts[0], counts[1], "rows counted before and after pg_dump (and a wait)");
            assertEquals(Integer.parseInt(counts[0]), dumped.size(), "rows in the dump");

            // The slow write from before the window finished before the backup started, and is in it.
            Http.Response slowAnswer = slow.get(60, TimeUnit.SECONDS);
            assertEquals(200, slowAnswer.status(), slowAnswer.toString());
            assertTrue(slowAnswer.body().contains("waitedForMaintenance=true"), "it was running when the window began: "
                    + slowAnswer.body());
            long slowCommitted = Long.parseLong(slowAnswer.body().replaceFirst("(?s).* at=(\\d+) .*", "$1"));
            assertTrue(slowCommitted <= commandStarted, "committed at " + slowCommitted + ", the backup started at "
                    + commandStarted);
            assertTrue(dumped.contains(slowToken), "the slow write is in the dump");
            assertTrue(run.err().contains("Maintenance is on (" + mode + "): applied by every valve reached (1)."), run.err());

            // Every write is accounted for: 200 is in the database, 503 is not, nothing else was answered.
            List<Load.Answer> writes = load.writes();
            List<String> unaccounted = new ArrayList<>();
            for (Load.Answer write : writes) {
                if (write.status == 200 && !stored.contains(write.token)) {
                    unaccounted.add(write + ": answered 200, not in the database");
                } else if (write.status == 503 && stored.contains(write.token)) {
                    unaccounted.add(write + ": answered 503, in the database");
                } else if (write.status != 200 && write.status != 503) {
                    unaccounted.add(write + ": neither 200 nor 503");
                } else if (write.status == 200 && write.answered < commandStarted && !dumped.contains(write.token)) {
                    unaccounted.add(write + ": answered 200 before the backup started, not in the dump");
                }
            }
            assertEquals(List.of(), unaccounted, "of " + writes.size() + " writes");
            assertTrue(load.count(503, 0) > 0, "writers were held out during the window: " + load.summary());
            assertTrue(writes.stream().anyMatch(w -> w.status == 503 && w.sent >= commandStarted && w.sent <= commandEnded),
                    "writes were tried while the backup ran: " + load.summary());

            if (readOnly) {
                List<Load.Answer> reads = load.reads();
                assertEquals(List.of(), reads.stream().filter(r -> r.status != 200).collect(Collectors.toList()),
                        "every read answered 200, during the window too");
                assertTrue(reads.stream().anyMatch(r -> r.sent >= commandStarted && r.answered <= commandEnded),
                        "reads were answered while the backup ran: " + load.summary());
            }

            // Incoming mail: fetched before, not once while the backup ran, fetched again after.
            assertTrue(mail(0, launched)[0] > 0, "the mail poller stand-in fetched before the window");
            long[] during = mail(commandStarted, commandEnded);
            assertEquals(0, during[0], "mail fetched while the backup ran");
            assertTrue(during[1] >= 5, "the poller kept polling while the backup ran: " + during[1] + " polls");
            Await.until(DEADLINE, "mail fetched again after the window", () -> mail(returned, Long.MAX_VALUE)[0] > 0);
            String log = tomcat.log().substring((int) logBefore);
            assertTrue(log.contains("; incoming mail paused (atlassian.mail.fetchdisabled=true; before the window not set)"),
                    log);
            assertTrue(log.contains("; incoming mail fetched again (atlassian.mail.fetchdisabled removed, as before the"
                    + " window)"), log);
        } finally {
            load.stop();
        }
    }

    /** The backup: counts the rows, dumps the table, waits, counts again. Its arguments: bin, port, work. */
    private Path backupScript() throws IOException {
        Path script = work.resolve("backup.sh");
        Files.writeString(script, "#!/bin/bash\nset -e\nbin=$1; port=$2; work=$3\n"
                + "count() { \"$bin/psql\" -X -h 127.0.0.1 -p \"$port\" -U postgres -d postgres -At"
                + " -c 'SELECT count(*) FROM writes'; }\n"
                + "date +%s%3N > \"$work/started\"\n"
                + "first=$(count)\n"
                + "\"$bin/pg_dump\" -h 127.0.0.1 -p \"$port\" -U postgres -d postgres -t writes -f \"$work/dump.sql\"\n"
                // The test looks at JMX and status now; the writers keep trying meanwhile.
                + "touch \"$work/in-window\"\n"
                + "for i in $(seq 300); do [ -e \"$work/go\" ] && break; sleep 0.1; done\n"
                + "sleep 0.5\n"
                + "second=$(count)\n"
                + "echo \"$first $second\" > \"$work/counts\"\n"
                + "date +%s%3N > \"$work/ended\"\n");
        return script;
    }

    /** The tokens of the rows in the dump (plain format: the table's COPY block). */
    private Set<String> dumpedTokens() throws IOException {
        List<String> lines = Files.readAllLines(work.resolve("dump.sql"), StandardCharsets.UTF_8);
        Set<String> tokens = new HashSet<>();
        boolean copying = false;
        for (String line : lines) {
            if (line.startsWith("COPY public.writes ")) {
                copying = true;
            } else if (copying && line.equals("\\.")) {
                return tokens;
            } else if (copying) {
                tokens.add(line.substring(0, line.indexOf('\t')));
            }
        }
        throw new AssertionError("no COPY block of the table in the dump:\n" + String.join("\n", lines));
    }

    // ------------------------------------------------------------ incoming mail

    @Test
    void anotherValvesWindowKeepsMailPausedAfterRunsEndsAndTheLastToEndLetsItIn() throws Exception {
        ObjectName context = valve(true);
        invoke(context, "enable");
        Await.until(DEADLINE, "mail paused by the context's window", () -> "true".equals(mailProperty()));
        assertEquals(0, cli("on", "--flag", flag.toString(), "--jmx", jmx()), err + out);
        assertEquals("paused by this valve's window", tomcat.jmx().getAttribute(valve(false), "incomingMail"));
        long hostOff = System.currentTimeMillis();
        assertEquals(0, cli("off", "--flag", flag.toString(), "--jmx", jmx()), err + out);
        assertEquals("paused by another valve's window in this JVM",
                tomcat.jmx().getAttribute(valve(false), "incomingMail"));
        Await.until(DEADLINE, "polls after the host's window ended", () -> polls(mail(hostOff, Long.MAX_VALUE)) >= 5);
        assertEquals(0, mail(hostOff, Long.MAX_VALUE)[0], "the context's window still pauses mail");
        tomcat.waitForLog("Maintenance OFF .*; incoming mail still paused: another valve's window in this JVM holds it",
                DEADLINE);

        invoke(context, "disable");
        long contextOff = System.currentTimeMillis();
        assertEquals("null", mailProperty(), "not set, as before the first window");
        Await.until(DEADLINE, "mail fetched again", () -> mail(contextOff, Long.MAX_VALUE)[0] > 0);
    }

    @Test
    void fetchDisabledSetAtStartUpSurvivesAWindow() throws Exception {
        Path startUpFlag = TomcatServer.freshFlagFile("backup-startup-flags", version);
        try (TomcatServer startUp = TomcatServer.builder(version).name("backup-startup").app("db-app")
                .webappLib(jdbcDriver())
                .systemProperty("atlassian.mail.fetchdisabled", "true")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + startUpFlag + "\" pollInterval=\"" + LONG_POLL_MILLIS
                        + "\" preset=\"jira\"")
                .start()) {
            String target = "127.0.0.1:" + startUp.jmxPort();
            assertEquals(0, cli("on", "--flag", startUpFlag.toString(), "--jmx", target), err + out);
            assertEquals(0, cli("status", "--flag", startUpFlag.toString(), "--jmx", target), err);
            assertTrue(out.contains("; incoming mail paused by this valve's window (atlassian.mail.fetchdisabled=true"
                    + " was set before it, and stays)\n"), out);
            assertEquals(0, cli("off", "--flag", startUpFlag.toString(), "--jmx", target), err + out);
            long off = System.currentTimeMillis();

            Await.until(DEADLINE, "polls after the window", () -> polls(mail(startUp, off, Long.MAX_VALUE)) >= 5);
            assertEquals("true", mailProperty(startUp), "still set as it was at start-up");
            assertEquals(0, mail(startUp, 0, Long.MAX_VALUE)[0], "never fetched: not before, during or after the window");
            String log = startUp.log();
            assertTrue(log.contains("; incoming mail paused already: atlassian.mail.fetchdisabled=true was set before the"
                    + " window, and stays"), log);
            assertTrue(log.contains("; incoming mail still paused: atlassian.mail.fetchdisabled=true was set before the"
                    + " window, and stays"), log);
        }
    }

    /** {fetched, skipped} by the mail poller stand-in among its polls checked from {@code from} to {@code to}. */
    private long[] mail(long from, long to) {
        return mail(tomcat, from, to);
    }

    private static long[] mail(TomcatServer server, long from, long to) {
        Matcher m = mailReport(server, "/mail.jsp?from=" + from + "&to=" + to);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static long polls(long[] fetchedAndSkipped) {
        return fetchedAndSkipped[0] + fetchedAndSkipped[1];
    }

    /** atlassian.mail.fetchdisabled in the Tomcat's JVM ({@code null} as "null"). */
    private String mailProperty() {
        return mailProperty(tomcat);
    }

    private static String mailProperty(TomcatServer server) {
        return mailReport(server, "/mail.jsp").group(3);
    }

    private static Matcher mailReport(TomcatServer server, String path) {
        Http.Response response = Http.get(server.httpPort(), path);
        Matcher m = MAIL.matcher(response.body());
        if (response.status() != 200 || !m.find()) {
            throw new AssertionError("the mail poller stand-in's report: " + response);
        }
        return m;
    }

    // ------------------------------------------------------------ the valves, run

    /** The Host-level valve, or the Context-level one. */
    private ObjectName valve(boolean contextLevel) throws Exception {
        for (ObjectName name : tomcat.jmx().queryNames(new ObjectName("Catalina:type=Valve,name=MaintenanceValve,*"), null)) {
            if ((name.getKeyProperty("context") != null) == contextLevel) {
                return name;
            }
        }
        throw new AssertionError("no " + (contextLevel ? "Context" : "Host") + "-level MaintenanceValve registered");
    }

    private void invoke(ObjectName valve, String operation) throws Exception {
        if (operation.equals("enable")) {
            tomcat.jmx().invoke(valve, operation, new Object[] {"", 0}, new String[] {"java.lang.String", "int"});
        } else {
            tomcat.jmx().invoke(valve, operation, new Object[0], new String[0]);
        }
    }

    private String post(String token, String more) {
        String body = "token=" + token + more;
        return "POST /write.jsp HTTP/1.1\r\nHost: 127.0.0.1:" + tomcat.httpPort() + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n" + body;
    }

    /** {@code java -jar <jar> run --flag <flag> --jmx <port> <options> -- bash <script> <pg bin> <pg port> <work>}, started. */
    private JarRun run(Path script, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--flag", flag.toString(), "--jmx", jmx()));
        args.addAll(List.of(options));
        args.addAll(List.of("--", "bash", script.toString(), db.bin().toString(), String.valueOf(db.port()),
                work.toString()));
        JarRun run = JarRun.start(work, List.of(), args);
        started.add(run.process.toHandle());
        return run;
    }

    private long millis(String name) throws IOException {
        return Long.parseLong(file(name));
    }

    private String file(String name) throws IOException {
        Path file = work.resolve(name);
        assertTrue(Files.exists(file), name + " was written by the command");
        return Files.readString(file).trim();
    }

    // ------------------------------------------------------------ the load

    /**
     * Writers (and, in read-only mode, a reader) over HTTP, one connection per request, from the
     * start until {@link #stop()}: every answer and every failure is recorded.
     */
    private final class Load {
        final class Answer {
            final String token;
            final long sent;
            final long answered;
            /** The status, or -1 when the request failed (the error says how). */
            final int status;
            final String error;

            Answer(String token, long sent, long answered, int status, String error) {
                this.token = token;
                this.sent = sent;
                this.answered = answered;
                this.status = status;
                this.error = error;
            }

            @Override
            public String toString() {
                return (token == null ? "GET /count.jsp" : token) + " sent " + sent + " answered " + answered + ": "
                        + (error == null ? status : error);
            }
        }

        private final List<Answer> writes = Collections.synchronizedList(new ArrayList<>());
        private final List<Answer> reads = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Load(String prefix, boolean withReader) {
            for (int w = 0; w < WRITERS; w++) {
                String writer = prefix + "-w" + w + "-";
                threads.add(thread(() -> {
                    for (int i = 0; !stopping.get(); i++) {
                        writes.add(send(writer + i, post(writer + i, "")));
                    }
                }));
            }
            if (withReader) {
                String read = "GET /count.jsp HTTP/1.1\r\nHost: 127.0.0.1:" + tomcat.httpPort()
                        + "\r\nConnection: close\r\n\r\n";
                threads.add(thread(() -> {
                    while (!stopping.get()) {
                        reads.add(send(null, read));
                    }
                }));
            }
        }

        private Thread thread(Runnable loop) {
            Thread thread = new Thread(loop, "backup-load");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        private Answer send(String token, String request) {
            long sent = System.currentTimeMillis();
            Answer answer;
            try {
                answer = new Answer(token, sent, System.currentTimeMillis(),
                        RawHttp.send(tomcat.httpPort(), request).status(), null);
            } catch (RuntimeException e) {
                answer = new Answer(token, sent, System.currentTimeMillis(), -1, e.toString());
            }
            // A steady load, not a flood: the machine is shared.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            return answer;
        }

        long count(int status, long sentFrom) {
            synchronized (writes) {
                return writes.stream().filter(w -> w.status == status && w.sent >= sentFrom).count();
            }
        }

        List<Answer> writes() {
            synchronized (writes) {
                return new ArrayList<>(writes);
            }
        }

        List<Answer> reads() {
            synchronized (reads) {
                return new ArrayList<>(reads);
            }
        }

        String summary() {
            Map<Integer, Long> byStatus = writes().stream().collect(Collectors.groupingBy(a -> a.status, Collectors.counting()));
            return "writes by status " + byStatus + ", " + reads().size() + " reads";
        }

        void stop() throws InterruptedException {
            stopping.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(thread.isAlive(), "a load thread ended");
            }
        }
    }
}
