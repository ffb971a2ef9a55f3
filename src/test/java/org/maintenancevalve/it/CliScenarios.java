package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServerConnection;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line against a real Tomcat: on and off that return once in force, status with live
 * figures and each of its cases, wait-idle. The valve polls only every {@link #LONG_POLL_MILLIS}, so
 * whatever is in force right after a command returns was put in force by that command.
 */
abstract class CliScenarios extends TomcatScenarios {

    CliScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void start() throws IOException {
        startTomcat("cli", "cli-flags", LONG_POLL_MILLIS, "", builder -> builder);
    }

    @AfterEach
    void off() {
        assertEquals(0, cli("off", "--flag", flag.toString(), "--jmx", jmx()), err + out);
    }

    @Test
    void aWholeWindowFromTheCommandLine() throws Exception {
        List<CompletableFuture<Http.Response>> slow = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> Http.get(tomcat.httpPort(), "/slow.jsp?ms=2000")));
        }
        Await.until(Duration.ofSeconds(10), "slow requests in flight", () -> {
            cli("status", "--flag", flag.toString(), "--jmx", jmx(), "--json");
            return CoreScenarios.readJson(out).path("live").path("inFlight").asLong() >= 2;
        });

        assertEquals(0, cli("on", "--flag", flag.toString(), "--jmx", jmx(), "--message", "XML backup", "--for", "1h",
                "--bypass"), err + out);
        assertEquals(503, status("/"), "in force when on returns");
        String link = out.substring(out.indexOf("/?maintenance-bypass=")).split("\\s")[0];
        assertEquals(303, Http.get(tomcat.httpPort(), link).status(), "the printed bypass link works");

        assertEquals(0, cli("wait-idle", "--flag", flag.toString(), "--jmx", jmx(), "--timeout", "30s"), err + out);
        assertTrue(out.startsWith("Idle"), out);
        long waited = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waited >= 2000, "wait-idle returned only after the 2 s requests: " + waited + " ms");
        for (CompletableFuture<Http.Response> request : slow) {
            assertEquals(200, request.get(10, TimeUnit.SECONDS).status(), "finished normally");
        }

        assertEquals(0, cli("status", "--flag", flag.toString(), "--jmx", jmx(), "--json"), err);
        JsonNode status = CoreScenarios.readJson(out);
        assertEquals("full", status.get("mode").asText());
        assertEquals("XML backup", status.get("message").asText());
        JsonNode live = status.get("live");
        assertTrue(live.get("active").asBoolean(), out);
        assertTrue(live.get("blocked").asLong() >= 1, out);
        assertEquals(0, live.get("inFlightBeforeMaintenance").asLong(), out);

        assertEquals(0, cli("off", "--flag", flag.toString(), "--jmx", jmx()), err + out);
        assertEquals(200, status("/"), "open when off returns");
    }

    @Test
    void onAndOffReturnOnceTheValveHasAppliedThem() {
        // The local Tomcat found by itself (attach), as an admin on the Jira host runs it.
        assertEquals(0, cli("on", "--flag", flag.toString(), "--read-only"), err + out);
        assertEquals(503, Http.request("POST", tomcat.httpPort(), "/echo.jsp").status(),
                "a request right after on is held out, long before the next poll");
        assertTrue(out.contains("  applied:       local Tomcat pid " + tomcat.pid() + " [host=localhost]: read-only"), out);
        assertTrue(out.contains("Maintenance is on (read-only): applied by every valve reached"), out);

        long started = System.nanoTime();
        assertEquals(0, cli("on", "--flag", flag.toString(), "--jmx", jmx(), "--full"), err + out);
        long took = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, status("/"), "the switch to full is in force at once");
        assertTrue(took < LONG_POLL_MILLIS / 2, "the valve re-read the flag when asked, without waiting for its poll: " + took + " ms");

        assertEquals(0, cli("off", "--flag", flag.toString()), err + out);
        assertEquals(200, status("/"), "a request right after off passes");
        assertTrue(out.contains("Maintenance is off: applied by every valve reached (1)"), out);
    }

    @Test
    void onSaysSoWhenNoValveWatchesThatFile() throws IOException {
        Path elsewhere = flag.resolveSibling("not-watched.flag");
        try {
            assertEquals(1, cli("on", "--flag", elsewhere.toString()), out);
            assertTrue(err.contains("NOT CONFIRMED: no running valve watching " + elsewhere + " was reached on this machine"), err);
            assertTrue(err.contains("nobody is held out by it"), err);
            assertTrue(err.contains("warning: local Tomcat pid " + tomcat.pid() + " has a valve watching " + flag
                    + ", not " + elsewhere), "names the file the local valve watches: " + err);
            assertFalse(out.contains("Maintenance is on"), out);
            assertEquals(200, status("/"), "indeed nobody is held out");

            assertEquals(1, cli("on", "--flag", elsewhere.toString(), "--jmx", jmx()), out);
            assertTrue(out.contains("NOT CONFIRMED: " + jmx() + ": no MaintenanceValve there watches " + elsewhere
                    + " (it watches " + flag + ")"), out);
        } finally {
            Files.deleteIfExists(elsewhere);
        }
    }

    @Test
    void waitIdleWaitsForMaintenanceToBeInForceFirst() throws Exception {
        assertEquals(1, cli("wait-idle", "--flag", flag.toString(), "--jmx", jmx(), "--timeout", "1s"));
        assertTrue(err.contains("maintenance is not on: there is no flag file"), err);

        long started = System.nanoTime();
        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> Http.get(tomcat.httpPort(), "/slow.jsp?ms=1500"));
        Await.until(Duration.ofSeconds(10), "slow request in flight",
                () -> ((Number) attribute("inFlight")).longValue() >= 1);
        assertEquals(0, cli("on", "--flag", flag.toString(), "--no-wait"), err);
        // The valve has not seen the flag yet (it polls every 10 s): wait-idle must not take "not on" for "idle".
        assertEquals(0, cli("wait-idle", "--flag", flag.toString(), "--jmx", jmx(), "--timeout", "30s"), err + out);
        assertTrue(out.startsWith("Idle"), out);
        long waited = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waited >= 1500, "the 1.5 s request from before maintenance was waited for: " + waited + " ms");
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).status());
        assertEquals(503, status("/"), "in force when wait-idle returns");
    }

    @Test
    void waitIdleTimesOutWithTheCount() throws Exception {
        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> Http.get(tomcat.httpPort(), "/slow.jsp?ms=4000"));
        Await.until(Duration.ofSeconds(10), "slow request in flight",
                () -> ((Number) attribute("inFlight")).longValue() >= 1);
        assertEquals(0, cli("on", "--flag", flag.toString(), "--jmx", jmx()), err + out);
        assertEquals(1, cli("wait-idle", "--flag", flag.toString(), "--jmx", jmx(), "--timeout", "1s"));
        assertTrue(out.startsWith("1 request(s) from before maintenance still running after 1s"), out);
        assertEquals(200, slow.get().status(), "and it still finishes normally");
    }

    @Test
    void statusFindsTheLocalTomcatByItself() {
        // No --jmx: the JDK's attach API finds the Tomcat whose valve watches this flag.
        assertEquals(0, cli("status", "--catalina-base", tomcat.baseDir().toString(), "--json"), err);
        JsonNode status = CoreScenarios.readJson(out);
        assertEquals(flag.toString(), status.get("flagFile").asText());
        assertTrue(status.get("live").isObject(), "live figures through attach: " + out);
        assertTrue(status.get("live").get("target").asText().contains("pid"), out);
    }

    @Test
    void statusGivesTheRealStartNotTheFilesLastChange() throws Exception {
        assertEquals(0, cli("on", "--flag", flag.toString(), "--jmx", jmx(), "--message", "first"), err + out);
        Instant since = Instant.parse((String) attribute("since"));
        // A change later in the window: the file's time moves on, the window's start does not.
        Await.until(Duration.ofSeconds(3), "a later second", () -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(since));
        assertEquals(0, cli("on", "--flag", flag.toString(), "--jmx", jmx(), "--message", "second"), err + out);
        Instant changed = Files.getLastModifiedTime(flag).toInstant().truncatedTo(ChronoUnit.SECONDS);
        assertTrue(changed.isAfter(since), changed + " after " + since);
        assertEquals(since, Instant.parse((String) attribute("since")), "the valve keeps the window's start");

        assertEquals(0, cli("status", "--flag", flag.toString(), "--jmx", jmx(), "--json"), err);
        JsonNode status = CoreScenarios.readJson(out);
        assertEquals(since.toString(), status.get("since").asText(), out);
        assertEquals("valve", status.get("sinceFrom").asText(), out);
        assertEquals(0, cli("status", "--flag", flag.toString(), "--jmx", jmx()), err);
        assertTrue(out.startsWith("Maintenance: full (on since " + since + ")"), out);

        assertEquals(0, cli("status", "--flag", flag.toString(), "--no-jmx"), err);
        assertTrue(out.startsWith("Maintenance: full (on since " + changed
                + " by the flag file's last change: no valve was reached to tell when it began)"), out);
    }

    /** Makes the valve read the flag now rather than at its next poll (10 s away). */
    private void refresh() throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        jmx.invoke(CoreScenarios.valveName(jmx), "refresh", new Object[0], new String[0]);
    }

    private void uncheckedRefresh() {
        try {
            refresh();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void statusTellsAWindowThatEndedByItselfFromNoFlag() throws Exception {
        Instant end = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Files.writeString(flag, "{\"until\":\"" + end + "\",\"autoEnd\":true}");
        refresh();
        assertEquals("full", attribute("mode"));
        Await.until(Duration.ofSeconds(8), "the window ends by itself", () -> {
            uncheckedRefresh();
            return "off".equals(attribute("mode"));
        });
        assertEquals(0, cli("status", "--flag", flag.toString(), "--jmx", jmx()), err);
        assertTrue(out.startsWith("Maintenance: off (the window ended by itself at " + end), out);
        assertTrue(out.contains("the flag file is still there"), out);
        assertTrue(out.contains("Live (" + jmx() + "): off;"), out);

        Files.delete(flag);
        assertEquals(0, cli("status", "--flag", flag.toString(), "--jmx", jmx()), err);
        assertTrue(out.startsWith("Maintenance: off (no flag file)"), out);
    }

    @Test
    void statusSaysASecretTheValveIgnoresAndWhy() throws Exception {
        Files.writeString(flag, "{\"bypassSecret\":\"too-short\"}");
        assertEquals(0, cli("status", "--flag", flag.toString(), "--jmx", jmx()), err);
        assertTrue(out.contains("IGNORED:      bypass link: the secret in the flag file must be at least 16 characters"
                + " long (it has 9): bypass links are off"), out);
        assertFalse(out.contains("bypass link:  set"), out);
        refresh();
        assertEquals(Boolean.TRUE, attribute("active"));
        assertEquals(503, status("/?maintenance-bypass=too-short"), "the valve indeed ignores it");
    }

    @Test
    void statusSaysWhenThisUserCannotReadTheFlag() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Paths.get("/usr/bin/setpriv")),
                "needs root and setpriv to run status as another user (WindowCommandsTest covers it when not root)");
        assertEquals(0, cli("on", "--flag", flag.toString(), "--jmx", jmx(), "--message", "private"), err + out);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(flag)));

        Path dir = Files.createTempDirectory("cli-nobody");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = dir.resolve("maintenance-valve.jar");
            Files.copy(JarRun.jar(), jar);
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            Path output = dir.resolve("out.txt");
            Process process = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                    "status", "--flag", flag.toString(), "--jmx", jmx())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "status ends");
            String text = Files.readString(output);
            assertEquals(0, process.exitValue(), text);
            assertTrue(text.startsWith("Maintenance: unknown to this user: cannot read the flag file ("), text);
            assertTrue(text.contains("what the valves say is below"), text);
            assertTrue(text.contains("Live (" + jmx() + "): full since "), text);
            assertFalse(text.contains("holds everyone out"), "not taken for a broken file: " + text);
        } finally {
            for (File file : dir.toFile().listFiles()) {
                Files.delete(file.toPath());
            }
            Files.delete(dir);
        }
    }
}
