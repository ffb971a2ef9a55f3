package org.maintenancevalve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maintenancevalve.state.FlagFileParser;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.Mode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window commands (on, off, status, wait-idle) through the real {@link Main}, on real files. */
class WindowCommandsTest extends CommandLineTest {

    private Path flag() {
        return dir.resolve("maintenance.flag");
    }

    private FlagSettings written() {
        FlagSettings settings = FlagFileParser.read(flag(), Clock.systemUTC());
        assertNotNull(settings, "the flag file exists");
        assertNull(settings.problem(), settings.problem());
        return settings;
    }

    @Test
    void onWritesEveryOptionAtomicallyAndPrivately() throws IOException {
        Instant before = Instant.now();
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--message", "XML backup <b>", "--for", "1h30m",
                "--allow", "10.1.2.3,192.168.0.0/24", "--allow", "::1", "--read-only"), err);
        FlagSettings settings = written();
        assertEquals(Mode.READ_ONLY, settings.mode());
        assertEquals("XML backup <b>", settings.message());
        long minutes = Duration.between(before, settings.until()).toMinutes();
        assertTrue(minutes >= 89 && minutes <= 90, "1h30m from now: " + settings.until());
        assertEquals(List.of("10.1.2.3", "192.168.0.0/24", "::1"), settings.allow());
        assertTrue(settings.by().startsWith(System.getProperty("user.name")), settings.by());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(flag())));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
        assertTrue(out.contains("Maintenance is on (read-only)"), out);
    }

    @Test
    void fromAndForScheduleAWindowAndAutoEndIsRecorded() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--from", "2h", "--for", "45m", "--auto-end"), err);
        FlagSettings settings = written();
        assertEquals(Duration.ofMinutes(45), Duration.between(settings.from(), settings.until()));
        assertTrue(settings.autoEnd());
        assertTrue(out.contains("scheduled from"), out);
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.startsWith("Maintenance: scheduled"), out);
    }

    @Test
    void untilTakesIsoTimesWithOffsets() {
        String until = Instant.now().plusSeconds(7200).atOffset(java.time.ZoneOffset.ofHours(1))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toLocalDateTime() + "+01:00";
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--until", until), err);
        assertEquals(java.time.OffsetDateTime.parse(until).toInstant(), written().until());
    }

    @Test
    void bypassMakesAFreshSecretAndRerunningKeepsIt() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--bypass"), err);
        String secret = written().bypassSecret();
        assertNotNull(secret);
        assertTrue(secret.length() >= 32, secret);
        assertTrue(out.contains("/?maintenance-bypass=" + secret), out);

        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--message", "changed while on"), err);
        assertEquals(secret, written().bypassSecret(), "admins already inside stay inside");
        assertEquals("changed while on", written().message());

        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--bypass"), err);
        assertFalse(secret.equals(written().bypassSecret()), "--bypass again: a new secret");
    }

    @Test
    void offRemovesTheFlagAndSaysSo() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString()));
        assertEquals(0, run("off", "--no-wait", "--flag", flag().toString()));
        assertFalse(Files.exists(flag()));
        assertTrue(out.contains("Flag file removed"), out);
        assertEquals(0, run("off", "--no-wait", "--flag", flag().toString()));
        assertTrue(out.contains("There was no flag file"), out);
    }

    @Test
    void offAndOnChangeOnlyWhatReadsAsAFlagFileAndSayWhatToDoWithTheRest() throws IOException {
        Path other = dir.resolve("settings.json");
        Files.writeString(other, "{\"db\":\"secret\",\"mode\":\"full\"}");
        for (String[] command : new String[][] {{"off", "--no-wait"}, {"on", "--no-wait"}, {"on", "--new", "--no-wait"}}) {
            List<String> args = new java.util.ArrayList<>(List.of(command));
            args.addAll(List.of("--flag", other.toString()));
            assertEquals(1, run(args.toArray(new String[0])), String.join(" ", command) + ": " + out);
            String done = command[0].equals("off") ? "removed" : "replaced";
            assertTrue(err.startsWith("maintenance-valve " + command[0] + ": refused: " + other + " is not " + done
                    + ": it has a field a flag file does not have (\"db\") and no window id"), err);
            assertTrue(err.contains("Nothing was changed. Look at it (ls -l " + other + "); if it is the flag file,"
                    + " remove it yourself (rm " + other + ")"), err);
            assertEquals("", out);
            assertEquals("{\"db\":\"secret\",\"mode\":\"full\"}", Files.readString(other), "untouched");
        }

        // A broken flag file is still a flag file: off ends maintenance by removing it.
        Files.writeString(flag(), "{\"mode\": \"maintenance\"}");
        assertEquals(0, run("off", "--no-wait", "--flag", flag().toString()), err);
        assertFalse(Files.exists(flag()));
    }

    @Test
    void statusShowsWhatIsInForceAsTextAndJson() throws IOException {
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.startsWith("Maintenance: off"), out);

        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--message", "Backup", "--for", "2h"));
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.startsWith("Maintenance: full (on since"), out);
        assertTrue(out.contains("message:      \"Backup\""), out);
        assertTrue(out.contains("set by:"), out);

        assertEquals(0, run("status", "--flag", flag().toString(), "--json", "--no-jmx"));
        JsonNode json = new ObjectMapper().readTree(out);
        assertEquals("full", json.get("mode").asText());
        assertTrue(json.get("active").asBoolean());
        assertEquals("Backup", json.get("message").asText());
        assertEquals(written().until().toString(), json.get("until").asText());
        assertNotNull(json.get("by").asText());

        Files.writeString(flag(), "{broken");
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.contains("PROBLEM"), out);
    }

    @Test
    void statusShowsThePhaseAsTheBannerDoes() throws IOException {
        assertEquals(0, run("status", "--flag", flag().toString(), "--json", "--no-jmx"));
        assertEquals("off", new ObjectMapper().readTree(out).get("phase").asText());
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--from", "2h", "--for", "1h"), err);
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.contains("phase:        scheduled (as the banner shows it)"), out);
        Files.delete(flag()); // on keeps what it is not given: a new window, not the scheduled one
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--read-only", "--for", "1h"), err);
        assertEquals(0, run("status", "--flag", flag().toString(), "--json", "--no-jmx"));
        assertEquals("on", new ObjectMapper().readTree(out).get("phase").asText());
        Files.writeString(flag(), "{\"until\":\"2020-01-01T00:00:00Z\"}");
        assertEquals(0, run("status", "--flag", flag().toString(), "--json", "--no-jmx"));
        assertEquals("overdue", new ObjectMapper().readTree(out).get("phase").asText());
    }

    @Test
    void statusPrintsNothingFromTheFileThatATerminalWouldObey() throws IOException {
        String forged = "Back soon\r\nMaintenance: off (no flag file)\u001b[2J\u009b31m\u202e";
        Files.writeString(flag(), "{\"message\":" + new ObjectMapper().writeValueAsString(forged) + ",\"by\":\"eve\\u001b]0;x\\u0007\","
                + "\"allow\":[\"10.0.0.1\\n  bypass link:  set\"],\"mode\":\"x\\u001b[31m\"}");
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        for (char c : out.toCharArray()) {
            assertTrue(c == '\n' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && c != '\u202e'),
                    "control character " + (int) c + " printed:\n" + out);
        }
        assertEquals(1, out.split("Maintenance: ", -1).length - 1, "no forged line:\n" + out);
        assertTrue(out.contains("\\u001b"), out);

        Files.writeString(flag(), "{\"message\":" + new ObjectMapper().writeValueAsString(forged) + ",\"by\":\"eve\\u001b]0;x\\u0007\","
                + "\"allow\":[\"10.0.0.1\\n  bypass link:  set\"]}");
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.contains("message:      \"Back soon\\r\\nMaintenance: off (no flag file)\\u001b[2J\\u009b31m\\u202e\""), out);
        assertTrue(out.contains("set by:       \"eve\\u001b]0;x\\u0007\""), out);
        assertTrue(out.contains("also allowed: \"10.0.0.1\\n  bypass link:  set\""), out);
        assertFalse(out.contains("\n  bypass link:"), out);
    }

    @Test
    void statusSaysWhenLiveFiguresCannotBeHad() {
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", "127.0.0.1:1"));
        assertTrue(out.contains("Live figures: not available"), out);
    }

    @Test
    void waitIdleWithoutAReachableValveIsRefused() {
        assertEquals(1, run("wait-idle", "--flag", flag().toString(), "--jmx", "127.0.0.1:1", "--timeout", "1s"));
        assertTrue(err.contains("cannot connect"), err);
    }

    @Test
    void theFlagComesFromTheEnvironmentOrServerXml() throws IOException {
        env.put("MAINTENANCE_FLAG", flag().toString());
        assertEquals(0, run("on", "--no-wait"));
        assertTrue(Files.exists(flag()));
        env.clear();

        Path base = Files.createDirectories(dir.resolve("tomcat"));
        Files.createDirectories(base.resolve("conf"));
        Files.writeString(base.resolve("conf/server.xml"), "<Server><Service><Engine defaultHost=\"localhost\">"
                + "<!-- <Valve className=\"org.maintenancevalve.MaintenanceValve\" flagFile=\"/commented/out\"/> -->"
                + "<Host name=\"localhost\"><Valve className=\"org.maintenancevalve.MaintenanceValve\""
                + " flagFile=\"${catalina.base}/shared/m.flag\"/></Host></Engine></Service></Server>");
        Files.createDirectories(base.resolve("shared"));
        assertEquals(0, run("on", "--no-wait", "--catalina-base", base.toString()), err);
        assertTrue(Files.exists(base.resolve("shared/m.flag")));

        Files.writeString(base.resolve("conf/server.xml"), "<Server><Service><Engine><Host name=\"localhost\">"
                + "<Valve className=\"org.maintenancevalve.MaintenanceValve\"/></Host></Engine></Service></Server>");
        assertEquals(0, run("on", "--no-wait", "--catalina-base", base.toString()), err);
        assertTrue(Files.exists(base.resolve("maintenance.flag")), "the valve's default, relative to the base");

        Files.writeString(base.resolve("conf/server.xml"), "<Server/>");
        assertEquals(1, run("on", "--no-wait", "--catalina-base", base.toString()));
        assertTrue(err.contains("no MaintenanceValve"), err);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "on --for 2x", "on --until yesterday", "on --until 2020-01-01T00:00Z", "on --for 1h --until 3h",
        "on --auto-end", "on --from 3h --until 2h", "on --allow 10.0.0.0/33", "on --allow everyone",
        "on --colour red", "on extra", "off --flag", "status --jmx 127.0.0.1:1 --no-jmx", "wait-idle --timeout soon",
        "on --jmx nohost", "on --jmx host:0", "on --jmx host:70000", "status --jmx nohost", "wait-idle --jmx 10.0.0.1",
        "off --jmx :9010", "on --read-only --full", "on --auto-end --no-auto-end", "on --no-wait --jmx 127.0.0.1:1",
        "on --allow none,10.0.0.1", "on --for 400d", "on --until 2h --auto-end --from 3h"
    })
    void badOptionsAndTimesAreUsageErrors(String line) {
        String[] words = line.split(" ");
        String[] args = new String[words.length + 2];
        System.arraycopy(words, 0, args, 0, words.length);
        args[words.length] = "--flag";
        args[words.length + 1] = flag().toString();
        if (line.endsWith("--flag")) {
            args = words;
        }
        assertEquals(2, run(args), line + ": " + err);
        assertEquals(1, err.trim().split("\n").length, "one line: " + err);
        assertFalse(Files.exists(flag()), "nothing written");
    }

    // ---------------------------------------------------------------- re-running on: given changes, the rest stays

    /** A read-only window with every option, as an admin starts one. */
    private FlagSettings readOnlyWindow() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--read-only", "--message", "Migration",
                "--for", "2h", "--allow", "10.1.2.3", "--bypass"), err);
        return written();
    }

    @Test
    void aMessageOnlyRerunKeepsTheModeTheEndTheAddressesAndTheSecret() {
        FlagSettings before = readOnlyWindow();
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--message", "update"), err);
        FlagSettings after = written();
        assertEquals(Mode.READ_ONLY, after.mode(), "read-only stays read-only: " + out);
        assertEquals("update", after.message());
        assertEquals(before.until(), after.until());
        assertEquals(before.allow(), after.allow());
        assertEquals(before.bypassSecret(), after.bypassSecret());
        assertEquals(before.window(), after.window(), "the same window");
        assertTrue(out.contains("the window in force was changed (kept: mode, expected end, allowed addresses, bypass secret)"), out);
        assertTrue(out.contains("Maintenance is on (read-only)"), out);
    }

    @Test
    void fullSwitchesTheModeAndNothingElse() {
        FlagSettings before = readOnlyWindow();
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--full"), err);
        FlagSettings after = written();
        assertEquals(Mode.FULL, after.mode());
        assertEquals(before.message(), after.message());
        assertEquals(before.until(), after.until());
        assertEquals(before.allow(), after.allow());
        assertEquals(before.bypassSecret(), after.bypassSecret());
    }

    @Test
    void anEndOnlyRerunKeepsTheMessageAndUntilNoneRemovesTheEnd() {
        readOnlyWindow();
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--for", "30m"), err);
        FlagSettings after = written();
        long minutes = Duration.between(Instant.now(), after.until()).toMinutes();
        assertTrue(minutes >= 28 && minutes <= 30, after.until().toString());
        assertEquals("Migration", after.message());
        assertEquals(Mode.READ_ONLY, after.mode());

        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--until", "none"), err);
        assertNull(written().until());
        assertEquals("Migration", written().message());
    }

    @Test
    void allowGivenBecomesTheWindowsListAndNoneRemovesIt() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--message", "m"), err);
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--allow", "10.0.0.0/8,::1"), err);
        assertEquals(List.of("10.0.0.0/8", "::1"), written().allow());
        assertEquals("m", written().message());
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--allow", "none"), err);
        assertEquals(List.of(), written().allow());
    }

    @Test
    void newStartsFromScratch() {
        FlagSettings before = readOnlyWindow();
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--new"), err);
        FlagSettings after = written();
        assertEquals(Mode.FULL, after.mode());
        assertNull(after.message());
        assertNull(after.until());
        assertEquals(List.of(), after.allow());
        assertNull(after.bypassSecret(), "old bypass links stop working");
        assertFalse(before.window().equals(after.window()), "a new window");
        assertTrue(out.contains("a new window"), out);
    }

    @Test
    void extendingAWindowThatEndsByItselfSaysSo() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--for", "1h", "--auto-end"), err);
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--for", "3h"), err);
        assertTrue(written().autoEnd());
        assertTrue(out.contains("NOTE: It still ends by itself at " + written().until()), out);
        assertTrue(out.contains("--no-auto-end"), out);

        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--no-auto-end"), err);
        assertFalse(written().autoEnd());
        assertFalse(out.contains("NOTE"), out);
    }

    @Test
    void aWindowThatEndedByItselfIsReplacedNotExtended() throws IOException {
        Files.writeString(flag(), "{\"until\":\"" + Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "\",\"autoEnd\":true,\"message\":\"last week\",\"window\":\"old\"}");
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString()), err);
        assertTrue(out.contains("a new window (the one in the flag file had ended by itself)"), out);
        assertNull(written().message());
        assertFalse("old".equals(written().window()));
    }

    @Test
    void anUnusableFlagIsNotChangedUnlessReplacedWithNew() throws IOException {
        Files.writeString(flag(), "{\"mode\": \"maintenance\"}");
        assertEquals(1, run("on", "--no-wait", "--flag", flag().toString(), "--message", "x"));
        assertTrue(err.contains("cannot be used as it is") && err.contains("on --new"), err);
        assertEquals("{\"mode\": \"maintenance\"}", Files.readString(flag()), "untouched");
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--new", "--message", "x"), err);
        assertEquals("x", written().message());
    }

    @Test
    void whatTheValveWouldRefuseIsNotWritten() throws IOException {
        readOnlyWindow();
        String before = Files.readString(flag());
        assertEquals(2, run("on", "--no-wait", "--flag", flag().toString(), "--message", "x".repeat(70_000)));
        assertTrue(err.contains("larger than"), err);
        assertEquals(2, run("on", "--no-wait", "--flag", flag().toString(), "--from", "3h"));
        assertTrue(err.contains("is not before"), err);
        assertEquals(before, Files.readString(flag()), "untouched");
    }

    @Test
    void timesAreWrittenAndPrintedInWholeSeconds() throws IOException {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--until", "2h", "--from", "90m"), err);
        String file = Files.readString(flag());
        assertFalse(file.matches("(?s).*T\\d\\d:\\d\\d:\\d\\d\\.\\d+Z.*"), "no fraction of a second: " + file);
        assertFalse(out.matches("(?s).*:\\d\\d\\.\\d+Z.*"), out);
        assertEquals(0, written().until().getNano());
    }

    // ---------------------------------------------------------------- on and off wait for the valves

    @Test
    void onIsNotConfirmedWhenANamedNodeCannotBeReached() {
        assertEquals(1, run("on", "--flag", flag().toString(), "--jmx", "127.0.0.1:1"));
        assertTrue(Files.exists(flag()), "the flag file is written: a valve that starts later applies it");
        assertTrue(out.contains("NOT CONFIRMED: cannot connect to JMX at 127.0.0.1:1"), out);
        assertTrue(err.contains("NOT CONFIRMED on every node"), err);
        assertFalse(out.contains("Maintenance is on"), "never claims it is on: " + out);
    }

    @Test
    void offIsNotConfirmedWhenANamedNodeCannotBeReached() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString()));
        assertEquals(1, run("off", "--flag", flag().toString(), "--jmx", "127.0.0.1:1"));
        assertFalse(Files.exists(flag()));
        assertFalse(out.contains("Maintenance is off"), out);
    }

    // ---------------------------------------------------------------- status says what is true

    @Test
    void statusTellsAWindowThatEndedByItselfFromNoFlag() throws IOException {
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.startsWith("Maintenance: off (no flag file)"), out);

        Instant ended = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Files.writeString(flag(), "{\"until\":\"" + ended + "\",\"autoEnd\":true}");
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.startsWith("Maintenance: off (the window ended by itself at " + ended + ", 10 min ago; the flag"
                + " file is still there"), out);
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx", "--json"));
        JsonNode json = new ObjectMapper().readTree(out);
        assertTrue(json.get("ended").asBoolean());
        assertTrue(json.get("flagExists").asBoolean());
        assertEquals("off", json.get("mode").asText());
    }

    @Test
    void statusSaysASecretTheValveIgnoresAndWhy() throws IOException {
        Files.writeString(flag(), "{\"bypassSecret\":\"short\",\"allow\":[\"localhost\"]}");
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertFalse(out.contains("bypass link:  set"), out);
        assertTrue(out.contains("IGNORED:      bypass link: the secret in the flag file must be at least "
                + org.maintenancevalve.access.BypassSecret.MIN_LENGTH + " characters long (it has 5): bypass links are off"), out);
        assertTrue(out.contains("IGNORED:      allow: the whole list is ignored"), out);
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx", "--json"));
        assertFalse(new ObjectMapper().readTree(out).get("bypassLink").asBoolean());
    }

    @Test
    void statusSaysWhenThisUserCannotReadTheFlag() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root reads every file; Tomcat9CliIT runs this case as an unprivileged user");
        Files.writeString(flag(), "{\"message\":\"secret plans\"}");
        Files.setPosixFilePermissions(flag(), PosixFilePermissions.fromString("---------"));
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.startsWith("Maintenance: unknown to this user: cannot read the flag file (permission denied"), out);
        assertFalse(out.contains("holds everyone out"), out);
    }

    @Test
    void statusSaysTheStartIsTheFilesTimeWhenNoValveTellsIt() {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString()));
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.contains("by the flag file's last change: no valve was reached to tell when it began"), out);
    }

    @Test
    void statusReportsEveryNamedNode() throws IOException {
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString()));
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", "127.0.0.1:1", "--jmx", "127.0.0.1:2", "--json"));
        JsonNode nodes = new ObjectMapper().readTree(out).get("nodes");
        assertEquals(2, nodes.size(), out);
        assertTrue(nodes.get(0).get("unavailable").asText().contains("127.0.0.1:1"), out);
        assertTrue(nodes.get(1).get("unavailable").asText().contains("127.0.0.1:2"), out);
    }

    @Test
    void waitIdleWithoutAFlagSaysMaintenanceIsNotOn() {
        // Without any valve the reachability is reported first; the flag check is in Tomcat9CliIT.
        assertEquals(1, run("wait-idle", "--flag", flag().toString(), "--jmx", "127.0.0.1:1,127.0.0.1:2", "--timeout", "1s"));
        assertTrue(err.contains("cannot wait on every node") && err.contains("127.0.0.1:2"), err);
    }

    @Test
    void noFlagLocationIsAUsageError() {
        assertEquals(2, run("on", "--no-wait"));
        assertTrue(err.contains("which flag file"), err);
    }

    @Test
    void aMissingDirectoryIsRefused() {
        assertEquals(1, run("on", "--no-wait", "--flag", dir.resolve("missing/maintenance.flag").toString()));
        assertTrue(err.contains("does not exist"), err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"on", "off", "status", "wait-idle"})
    void everyVerbHasHelp(String verb) {
        assertEquals(0, run(verb, "--help"));
        assertTrue(out.startsWith("Usage: java -jar maintenance-valve.jar " + verb), out);
    }

    // ---------------------------------------------------------------- what the admin reads

    @Test
    void onSaysWhatTheFlagFileNowHolds() {
        env.put("HOSTNAME", " node7 ");
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--message", "Backup", "--for", "3h",
                "--allow", "10.1.2.3", "--allow", "::1", "--bypass"), err);
        FlagSettings settings = written();
        assertEquals(System.getProperty("user.name") + "@node7", settings.by(), "who, on which machine");
        assertTrue(out.startsWith("Flag file written: a new window.\n"
                + "  flag file:    " + flag() + "\n"
                + "  message:      Backup\n"
                + "  expected end: " + settings.until() + " (in 2 h 59 min)\n"
                + "  also allowed: 10.1.2.3, ::1\n"
                + "  bypass link:  /?maintenance-bypass=" + settings.bypassSecret() + "\n"
                + "                open it once in your browser: you get a cookie valid 12 h\n"), out);
        assertTrue(out.contains("\nMaintenance is on (full)"), out);

        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString(), "--read-only", "--until", "none"), err);
        assertTrue(out.startsWith("Flag file written: the window in force was changed (kept: message, allowed addresses,"
                + " bypass secret).\n"
                + "  flag file:    " + flag() + "\n"
                + "  message:      Backup\n"
                + "  expected end: none announced\n"
                + "  also allowed: 10.1.2.3, ::1\n"
                + "  bypass link:  /?maintenance-bypass=" + settings.bypassSecret() + "   (the secret already in the flag"
                + " file)\n"), out);
        assertTrue(out.contains("Maintenance is on (read-only)"), out);

        assertEquals(0, run("on", "--no-wait", "--new", "--flag", flag().toString()), err);
        assertTrue(out.startsWith("Flag file written: a new window.\n  flag file:    " + flag() + "\n"
                + "  message:      (the default text)\n  expected end: none announced\nMaintenance is on (full)"), out);
    }

    @Test
    void withoutHostnameTheMachinesNameComesFromEtcHostname() throws IOException {
        env.put("HOSTNAME", "  ");
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString()), err);
        String host = Files.exists(Path.of("/etc/hostname")) ? Files.readString(Path.of("/etc/hostname")).trim() : "";
        String user = System.getProperty("user.name");
        assertEquals(host.isEmpty() ? user : user + "@" + host, written().by());
    }

    @Test
    void offSaysWhatItDidAndThatNoValveWasAsked() {
        assertEquals(0, run("off", "--no-wait", "--flag", flag().toString()), err);
        assertEquals("There was no flag file " + flag() + ".\n" + OffVerb.NOT_CONFIRMED + "\n", out);
        assertEquals(0, run("on", "--no-wait", "--flag", flag().toString()), err);
        assertEquals(0, run("off", "--no-wait", "--flag", flag().toString()), err);
        assertEquals("Flag file removed: " + flag() + ".\n" + OffVerb.NOT_CONFIRMED + "\n", out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"off --no-wait --flag F extra", "status --no-jmx --flag F extra",
            "status --no-jmx --jmx 127.0.0.1:9010 --flag F", "wait-idle --flag F extra",
            "status --flag F --jmx 127.0.0.1:65536", "status --flag F --jmx 127.0.0.1:0"})
    void extraWordsAndImpossibleTargetsAreUsageErrors(String line) {
        assertEquals(2, run(line.replace("F", flag().toString()).split(" ")), err);
        assertFalse(Files.exists(flag()));
    }

    @Test
    void theHighestAndLowestPortsAreTargets() {
        assertEquals(0, run("status", "--flag", flag().toString(), "--jmx", "127.0.0.1:65535", "--json"), err);
        assertTrue(out.contains("cannot connect to JMX at 127.0.0.1:65535"), out);
    }

    @Test
    void statusSaysEverythingTheFlagFileHolds() throws IOException {
        Instant from = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant until = Instant.now().plusSeconds(7260).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String secret = OnVerb.newSecret();
        Files.writeString(flag(), "{\"from\":\"" + from + "\",\"until\":\"" + until + "\",\"autoEnd\":true,"
                + "\"allow\":[\"10.1.2.3\",\"::1\"],\"bypassSecret\":\"" + secret + "\",\"by\":\"alice@db1\"}");
        // Written before its start: the window began at its start, not at the file's change.
        Files.setLastModifiedTime(flag(), java.nio.file.attribute.FileTime.from(from.minusSeconds(3600)));
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"), err);
        assertTrue(out.startsWith("Maintenance: full (on since " + from + ", its scheduled start)\n"
                + "  phase:        on (as the banner shows it)\n"
                + "  message:      \"" + org.maintenancevalve.response.DefaultMessages.defaultMessage(Mode.FULL)
                + "\"  (default)\n"
                + "  expected end: " + until + " (in 2 h 0 min), ends by itself then\n"
                + "  set by:       \"alice@db1\"\n"
                + "  also allowed: \"10.1.2.3\", \"::1\"\n"
                + "  bypass link:  set (the secret is in the flag file)\n"
                + "  flag file:    " + flag() + "\n"), out);
        assertFalse(out.contains("IGNORED"), out);

        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx", "--json"), err);
        JsonNode json = new ObjectMapper().readTree(out);
        assertTrue(json.get("messageIsDefault").asBoolean());
        assertEquals(from.toString(), json.get("since").asText());
        assertEquals("flag file's start", json.get("sinceFrom").asText());
        assertTrue(json.get("bypassLink").asBoolean());
        assertTrue(json.get("autoEnd").asBoolean());
        assertFalse(json.get("overdue").asBoolean());
        assertFalse(json.get("ended").asBoolean());
        assertEquals(0, json.get("ignored").size());
        assertTrue(json.get("problem").isNull());

        Instant passed = Instant.now().minusSeconds(1800).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Files.writeString(flag(), "{\"message\":\"Upgrade\",\"until\":\"" + passed + "\"}");
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"), err);
        assertTrue(out.contains("\n  message:      \"Upgrade\"\n  expected end: " + passed
                + " (passed 30 min ago, still on)\n  flag file:"), out);
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx", "--json"), err);
        json = new ObjectMapper().readTree(out);
        assertFalse(json.get("messageIsDefault").asBoolean());
        assertTrue(json.get("overdue").asBoolean());
        assertEquals("flag file's last change", json.get("sinceFrom").asText());
        assertFalse(json.get("bypassLink").asBoolean());
    }

    @Test
    void statusOfAnUnusableFlagSaysWhatTheValveDoesWithIt() throws IOException {
        Files.writeString(flag(), "{\"bypassSecret\":\"" + OnVerb.newSecret() + "\",\"mode\":\"sideways\"}");
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx", "--json"), err);
        JsonNode json = new ObjectMapper().readTree(out);
        assertFalse(json.get("bypassLink").asBoolean(), "a flag the valve cannot use opens no bypass");
        assertTrue(json.get("problem").asText().length() > 0, out);
        assertEquals(0, json.get("ignored").size());
    }
}
