package org.maintenancevalve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window commands (on, off, status, wait-idle, run) against JMX nodes in this JVM whose valves
 * apply the flag file when asked ({@link LiveNode}): what the admin reads and the exit codes.
 * (Real valves on real Tomcats: CliScenarios, WindowScenarios and RunScenarios.)
 */
class LiveNodeTest extends CommandLineTest {

    private LiveNode node;
    private LiveNode.Valve valve;

    @BeforeEach
    void startNode() throws Exception {
        node = new LiveNode();
        valve = node.valve(flag(), "localhost");
    }

    @AfterEach
    void stopNode() throws Exception {
        node.close();
    }

    private Path flag() {
        return dir.resolve("maintenance.flag");
    }

    private String label() {
        return node.target + " [host=localhost]";
    }

    /** {@code run --flag F --jmx node <options> -- sh -c <script> sh <flag> <marker>}. */
    private int runScript(List<String> options, String script) {
        List<String> all = new ArrayList<>(List.of("run", "--flag", flag().toString(), "--jmx", node.target));
        all.addAll(options);
        all.addAll(List.of("--", "/bin/sh", "-c", script, "sh", flag().toString(), dir.resolve("marker").toString()));
        return run(all.toArray(new String[0]));
    }

    @Test
    void onAndOffAreConfirmedByEveryValveThatAppliesThem() {
        assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target, "--read-only"), err);
        assertTrue(out.contains("  applied:       " + label() + ": read-only\n"), out);
        assertTrue(out.contains("Maintenance is on (read-only): applied by every valve reached (1)."), out);
        assertEquals("", err);

        assertEquals(0, run("off", "--flag", flag().toString(), "--jmx", node.target), err);
        assertTrue(out.contains("  applied:       " + label() + ": off\n"), out);
        assertTrue(out.contains("Maintenance is off: applied by every valve reached (1)."), out);
        assertFalse(Files.exists(flag()));
    }

    @Test
    void aValveOnTheEngineAndTwoNodesAreAllConfirmed() throws Exception {
        try (LiveNode second = new LiveNode()) {
            second.valve(flag(), null);
            assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target + "," + second.target), err);
            assertTrue(out.contains("  applied:       " + second.target + " [engine]: full\n"), out);
            assertTrue(out.contains("applied by every valve reached (2)."), out);
        }
    }

    @Test
    void aNodeWhoseValvesWatchAnotherFileIsNamedWithTheFileTheyWatch() throws Exception {
        try (LiveNode other = new LiveNode()) {
            other.valve(dir.resolve("other.flag"), "localhost");
            assertEquals(1, run("on", "--flag", flag().toString(), "--jmx", node.target + "," + other.target), err);
            assertTrue(out.contains("  applied:       " + label() + ": full\n"), out);
            assertTrue(out.contains("  NOT CONFIRMED: " + other.target + ": no MaintenanceValve there watches " + flag()
                    + " (it watches " + dir.resolve("other.flag") + ")"), out);
            assertTrue(err.contains("NOT CONFIRMED on every node (see the lines above); the flag file is written."), err);

            assertEquals(1, run("off", "--flag", flag().toString(), "--jmx", node.target + "," + other.target), err);
            assertTrue(err.contains("NOT CONFIRMED on every node (see the lines above); the flag file is removed."), err);

            assertEquals(1, run("wait-idle", "--flag", flag().toString(), "--jmx", other.target));
            assertTrue(err.contains("cannot wait on every node: " + other.target + ": no MaintenanceValve there watches"), err);
        }
    }

    @Test
    void statusShowsWhatTheValveSaysAndItsFigures() throws Exception {
        assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target), err);
        valve.inFlight = 3;
        valve.inFlightBeforeMaintenance = 1;
        valve.blockedCount = 5;
        valve.admittedCount = 2;
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", node.target), err);
        assertTrue(out.matches("(?s)Maintenance: full \\(on since [^ ]+Z\\)\n.*"), out);
        assertTrue(out.matches("(?s).*\nLive \\(" + node.target.replace(".", "\\.") + "\\): full since [^ ]+Z; 3 in flight"
                + " \\(1 from before maintenance\\), 5 blocked, 2 admitted\n"), out);

        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", node.target, "--json"), err);
        JsonNode report = new ObjectMapper().readTree(out);
        assertEquals("valve", report.get("sinceFrom").asText());
        JsonNode live = report.get("live");
        assertEquals(node.target, live.get("target").asText());
        assertTrue(live.get("active").asBoolean());
        assertEquals(3, live.get("inFlight").asLong());
        assertEquals(1, live.get("inFlightBeforeMaintenance").asLong());
        assertEquals(5, live.get("blocked").asLong());
        assertEquals(2, live.get("admitted").asLong());
        assertEquals(1, report.get("nodes").size());
    }

    @Test
    void statusSaysWhetherIncomingMailIsPausedOnEachNodeAndNothingForAValveTooOldToSay() throws Exception {
        assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target), err);
        valve.incomingMail = "paused by this valve's window";
        valve.incomingMailPaused = true;
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", node.target), err);
        assertTrue(out.contains(" 0 blocked, 0 admitted; incoming mail paused by this valve's window\n"), out);
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", node.target, "--json"), err);
        JsonNode reached = new ObjectMapper().readTree(out).get("nodes").get(0);
        assertTrue(reached.get("incomingMailPaused").asBoolean());
        assertEquals("paused by this valve's window", reached.get("incomingMail").asText());

        valve.incomingMail = null;
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", node.target), err);
        assertTrue(out.contains(" 0 blocked, 0 admitted\n"), out);
        assertFalse(out.contains("incoming mail"), out);
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", node.target, "--json"), err);
        assertTrue(new ObjectMapper().readTree(out).get("nodes").get(0).get("incomingMailPaused").isNull());
    }

    @Test
    void statusAddsUpTheValvesOfANodeAndListsEveryNode() throws Exception {
        LiveNode.Valve engine = node.valve(flag(), null);
        valve.inFlight = 3;
        valve.blockedCount = 5;
        engine.inFlight = 4;
        engine.blockedCount = 6;
        engine.admittedCount = 1;
        engine.inFlightBeforeMaintenance = 2;
        try (LiveNode second = new LiveNode(); LiveNode other = new LiveNode()) {
            LiveNode.Valve far = second.valve(flag(), "localhost");
            far.inFlight = 10;
            far.blockedCount = 100;
            far.admittedCount = 7;
            other.valve(dir.resolve("other.flag"), "localhost");
            assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target + "," + second.target), err);
            assertEquals(0, run("status", "--flag", flag().toString(), "--jmx",
                    node.target + "," + second.target + "," + other.target, "--json"), err);
            JsonNode report = new ObjectMapper().readTree(out);
            JsonNode first = report.get("nodes").get(0);
            assertEquals("full", first.get("mode").asText());
            assertEquals(7, first.get("inFlight").asLong());
            assertEquals(2, first.get("inFlightBeforeMaintenance").asLong());
            assertEquals(11, first.get("blocked").asLong());
            assertEquals(1, first.get("admitted").asLong());
            JsonNode live = report.get("live");
            assertEquals(node.target + ", " + second.target, live.get("target").asText());
            assertEquals(17, live.get("inFlight").asLong());
            assertEquals(2, live.get("inFlightBeforeMaintenance").asLong());
            assertEquals(111, live.get("blocked").asLong());
            assertEquals(8, live.get("admitted").asLong());
            assertEquals(3, report.get("nodes").size());

            assertEquals(0, run("status", "--flag", flag().toString(), "--jmx",
                    node.target + "," + second.target + "," + other.target), err);
            assertTrue(out.contains("\nLive, 3 nodes:\n  " + node.target + ": full since "), out);
            assertTrue(out.contains("; 7 in flight (2 from before maintenance), 11 blocked, 1 admitted\n  "
                    + second.target + ": full since "), out);
            assertTrue(out.contains("; 10 in flight (0 from before maintenance), 100 blocked, 7 admitted\n  "
                    + "not available (" + other.target + ": no MaintenanceValve there watches "), out);
        }
    }

    @Test
    void statusShowsValvesOfOneNodeThatDisagree() throws Exception {
        node.valve(flag(), null);
        assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target), err);
        assertEquals(0, run("off", "--flag", flag().toString(), "--no-wait"), err);
        valve.invoke("refresh", new Object[0], new String[0]); // its own poll: the other one has not polled yet
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", node.target), err);
        assertTrue(out.contains("\nLive (" + node.target + "): off/full since "), out);
    }

    @Test
    void statusWithoutAnyValveWatchingSaysWhatWasSeen() throws Exception {
        try (LiveNode other = new LiveNode()) {
            other.valve(dir.resolve("other.flag"), "localhost");
            assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", other.target), err);
            assertTrue(out.contains("Live figures: not available (" + other.target + ": no MaintenanceValve there watches "
                    + flag() + " (it watches " + dir.resolve("other.flag") + "))"), out);
        }
    }

    @Test
    void statusSaysANodeWhoseFiguresCannotBeReadAndWhy() throws Exception {
        valve.noFigures = true;
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", node.target, "--json"), err);
        JsonNode report = new ObjectMapper().readTree(out);
        assertTrue(report.get("live").isNull(), out);
        JsonNode only = report.get("nodes").get(0);
        assertEquals(node.target, only.get("target").asText());
        assertEquals("cannot read inFlight at " + label() + ": inFlight is not there", only.get("unavailable").asText());
        assertFalse(only.has("mode"), "nothing half-read is shown");
    }

    @Test
    void waitIdleReturnsOnceNoRequestFromBeforeIsRunning() {
        assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target), err);
        assertEquals(0, run("wait-idle", "--flag", flag().toString(), "--jmx", node.target), err);
        assertEquals("Idle: no request from before maintenance is still running (" + node.target + ").\n", out);
        assertEquals(300, valve.awaitedSeconds, "the valve waits at most what is left of the 5 minutes");

        valve.stillRunning = 2;
        assertEquals(1, run("wait-idle", "--flag", flag().toString(), "--jmx", node.target, "--timeout", "90s"), err);
        assertEquals("2 request(s) from before maintenance still running after 1m30s (" + node.target + ").\n", out);
        assertEquals(90, valve.awaitedSeconds);
    }

    @Test
    void waitIdleCountsPerNode() throws Exception {
        try (LiveNode second = new LiveNode()) {
            LiveNode.Valve far = second.valve(flag(), "localhost");
            LiveNode.Valve farEngine = second.valve(flag(), null);
            far.stillRunning = 1;
            farEngine.stillRunning = 2;
            String nodes = node.target + "," + second.target;
            assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", nodes), err);
            assertEquals(1, run("wait-idle", "--flag", flag().toString(), "--jmx", nodes, "--timeout", "1s"), err);
            assertEquals("3 request(s) from before maintenance still running after 1s (2 nodes).\n"
                    + "  " + node.target + ": idle\n"
                    + "  " + second.target + ": 3 still running\n", out);
        }
    }

    @Test
    void waitIdleSaysAScheduledWindowHasNotStarted() {
        assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target, "--from", "1h"), err);
        assertEquals(1, run("wait-idle", "--flag", flag().toString(), "--jmx", node.target, "--timeout", "1s"), err);
        assertEquals("Maintenance is not in force at " + label() + " after 1s: it says scheduled (the window has not"
                + " started yet).\n", out);
    }

    @Test
    void waitIdleSaysAValveThatDoesNotSeeTheFlag() throws Exception {
        Files.writeString(flag(), "{}");
        valve.applies = false;
        assertEquals(1, run("wait-idle", "--flag", flag().toString(), "--jmx", node.target, "--timeout", "1s"), err);
        assertEquals("Maintenance is not in force at " + label() + " after 1s: it says off (it does not see the flag"
                + " file, or its window has ended).\n", out);
    }

    @Test
    void runWaitsForTheRequestsFromBeforeAndCountsWhatTheWindowBlocked() {
        valve.blockedPerRead = 4;
        valve.admittedCount = 1;
        assertEquals(0, runScript(List.of(), "test -f \"$1\" && touch \"$2\""), err);
        assertTrue(Files.exists(dir.resolve("marker")));
        assertFalse(Files.exists(flag()));
        assertTrue(err.contains("Maintenance is on (full): applied by every valve reached (1).\n"), err);
        assertTrue(err.contains("Idle: no request from before maintenance is still running (" + node.target + ").\n"), err);
        assertTrue(err.contains("Maintenance is off: applied by every valve reached (1).\n"), err);
        assertTrue(err.matches("(?s).*\nMaintenance window: \\d+s; 4 request\\(s\\) blocked, 0 admitted \\(1 valve\\)\\.\n"), err);
        assertEquals(300, valve.awaitedSeconds, "--drain defaults to 5 minutes");
    }

    @Test
    void runDoesNotStartTheCommandWhileRequestsFromBeforeStillRun() {
        valve.stillRunning = 2;
        assertEquals(125, runScript(List.of("--drain", "1s"), "touch \"$2\""), err);
        assertFalse(Files.exists(dir.resolve("marker")), "not started");
        assertFalse(Files.exists(flag()), "run's own window, never used: removed");
        assertTrue(err.contains("the command was not started: 2 request(s) from before maintenance still running after"
                + " --drain 1s (--start-anyway starts the command all the same)."), err);
        assertEquals(1, valve.awaitedSeconds);

        assertEquals(0, runScript(List.of("--drain", "1s", "--start-anyway"), "touch \"$2\""), err);
        assertTrue(Files.exists(dir.resolve("marker")));
        assertTrue(err.contains("Starting all the same (--start-anyway): those requests may still change data."), err);
        assertFalse(Files.exists(flag()));
    }

    @Test
    void runDoesNotStartTheCommandWhenAValveDoesNotApplyTheWindow() {
        valve.applies = false;
        assertEquals(125, runScript(List.of(), "touch \"$2\""), err);
        assertFalse(Files.exists(dir.resolve("marker")));
        assertTrue(err.contains("the command was not started: maintenance is not confirmed on every valve (see above)."), err);
        assertFalse(Files.exists(flag()));
    }

    @Test
    void runWaitsForAScheduledWindowToStartBeforeTheCommand() {
        assertEquals(0, runScript(List.of("--from", "2s", "--drain", "5s"), "touch \"$2\""), err);
        assertTrue(Files.exists(dir.resolve("marker")));
        assertTrue(err.contains("Maintenance (full) is scheduled from "), err);
        assertTrue(err.contains("Waiting for the window to start at "), err);
        assertTrue(err.contains("Idle: no request from before maintenance is still running"), err);
        assertTrue(valve.awaitedSeconds >= 5 && valve.awaitedSeconds <= 7, "what is left of the start and --drain: "
                + valve.awaitedSeconds);
        assertFalse(Files.exists(flag()));
    }

    @Test
    void runThatCannotConfirmMaintenanceOffSaysSoAndExits125() {
        valve.ignoresRemoval = true;
        assertEquals(125, runScript(List.of(), "touch \"$2\""), err);
        assertTrue(Files.exists(dir.resolve("marker")), "the command ran");
        assertFalse(Files.exists(flag()), "removed all the same");
        assertTrue(err.contains("maintenance-valve run: NOT CONFIRMED that every valve lets users in again (see above)."), err);

        assertEquals(3, runScript(List.of(), "exit 3"), err);
        assertTrue(err.contains("NOT CONFIRMED that every valve lets users in again"), err);
    }

    @Test
    void runInAWindowThereAsksTheValvesAndLeavesItOn() {
        assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target), err);
        valve.blockedPerRead = 1;
        assertEquals(0, runScript(List.of("--in-window"), "touch \"$2\""), err);
        assertTrue(Files.exists(flag()));
        assertTrue(err.contains("Maintenance stays on: run did not start this window. End it with: java -jar"
                + " maintenance-valve.jar off --flag " + flag() + " --jmx " + node.target + "\n"), err);
        assertTrue(err.matches("(?s).*\nMaintenance window: \\d+s so far, and it stays on; 1 request\\(s\\) blocked,.*"), err);
    }

    @Test
    void runWithoutCountersSaysWhyTheSummaryHasNone() {
        valve.noCounters = true;
        assertEquals(0, runScript(List.of(), "touch \"$2\""), err);
        assertTrue(err.matches("(?s).*\nMaintenance window: \\d+s; requests blocked and admitted: not available \\(blockedCount"
                + " at " + java.util.regex.Pattern.quote(label()) + " is not a number: n/a\\)\\.\n"), err);
    }

    @Test
    void everyCommandClosesItsConnectionsToTheNodes() throws Exception {
        assertEquals(0, run("on", "--flag", flag().toString(), "--jmx", node.target), err);
        assertNoConnectionLeft();
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", node.target), err);
        assertNoConnectionLeft();
        assertEquals(0, run("wait-idle", "--flag", flag().toString(), "--jmx", node.target), err);
        assertNoConnectionLeft();
        assertEquals(0, run("off", "--flag", flag().toString(), "--jmx", node.target), err);
        assertNoConnectionLeft();
        assertEquals(0, runScript(List.of(), "true"), err);
        assertNoConnectionLeft();
    }

    private void assertNoConnectionLeft() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (node.connections() > 0) {
            assertTrue(System.nanoTime() - deadline < 0, "a connection left open: " + node.connections());
            Thread.sleep(20);
        }
    }
}
