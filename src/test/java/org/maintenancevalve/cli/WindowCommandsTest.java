package org.maintenancevalve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maintenancevalve.state.FlagFileParser;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.Mode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window commands (on, off, status, wait-idle) through the real {@link Main}, on real files. */
class WindowCommandsTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private String out;
    private String err;

    private int run(String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(outBytes, true), new PrintStream(errBytes, true), env);
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return code;
    }

    private Path flag() {
        return dir.resolve("maintenance.flag");
    }

    private FlagSettings written() {
        FlagSettings settings = FlagFileParser.read(flag());
        assertNotNull(settings, "the flag file exists");
        assertNull(settings.problem(), settings.problem());
        return settings;
    }

    @Test
    void onWritesEveryOptionAtomicallyAndPrivately() throws IOException {
        Instant before = Instant.now();
        assertEquals(0, run("on", "--flag", flag().toString(), "--message", "XML backup <b>", "--for", "1h30m",
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
        assertEquals(0, run("on", "--flag", flag().toString(), "--from", "2h", "--for", "45m", "--auto-end"), err);
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
                .withNano(0).toLocalDateTime() + "+01:00";
        assertEquals(0, run("on", "--flag", flag().toString(), "--until", until), err);
        assertEquals(java.time.OffsetDateTime.parse(until).toInstant(), written().until());
    }

    @Test
    void bypassMakesAFreshSecretAndRerunningKeepsIt() {
        assertEquals(0, run("on", "--flag", flag().toString(), "--bypass"), err);
        String secret = written().bypassSecret();
        assertNotNull(secret);
        assertTrue(secret.length() >= 32, secret);
        assertTrue(out.contains("/?maintenance-bypass=" + secret), out);

        assertEquals(0, run("on", "--flag", flag().toString(), "--message", "changed while on"), err);
        assertEquals(secret, written().bypassSecret(), "admins already inside stay inside");
        assertEquals("changed while on", written().message());

        assertEquals(0, run("on", "--flag", flag().toString(), "--bypass"), err);
        assertFalse(secret.equals(written().bypassSecret()), "--bypass again: a new secret");
    }

    @Test
    void offRemovesTheFlagAndSaysSo() {
        assertEquals(0, run("on", "--flag", flag().toString()));
        assertEquals(0, run("off", "--flag", flag().toString()));
        assertFalse(Files.exists(flag()));
        assertTrue(out.contains("Maintenance is off"), out);
        assertEquals(0, run("off", "--flag", flag().toString()));
        assertTrue(out.contains("was not on"), out);
    }

    @Test
    void statusShowsWhatIsInForceAsTextAndJson() throws IOException {
        assertEquals(0, run("status", "--flag", flag().toString(), "--no-jmx"));
        assertTrue(out.startsWith("Maintenance: off"), out);

        assertEquals(0, run("on", "--flag", flag().toString(), "--message", "Backup", "--for", "2h"));
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
        assertEquals(0, run("on"));
        assertTrue(Files.exists(flag()));
        env.clear();

        Path base = Files.createDirectories(dir.resolve("tomcat"));
        Files.createDirectories(base.resolve("conf"));
        Files.writeString(base.resolve("conf/server.xml"), "<Server><Service><Engine defaultHost=\"localhost\">"
                + "<!-- <Valve className=\"org.maintenancevalve.MaintenanceValve\" flagFile=\"/commented/out\"/> -->"
                + "<Host name=\"localhost\"><Valve className=\"org.maintenancevalve.MaintenanceValve\""
                + " flagFile=\"${catalina.base}/shared/m.flag\"/></Host></Engine></Service></Server>");
        Files.createDirectories(base.resolve("shared"));
        assertEquals(0, run("on", "--catalina-base", base.toString()), err);
        assertTrue(Files.exists(base.resolve("shared/m.flag")));

        Files.writeString(base.resolve("conf/server.xml"), "<Server><Service><Engine><Host name=\"localhost\">"
                + "<Valve className=\"org.maintenancevalve.MaintenanceValve\"/></Host></Engine></Service></Server>");
        assertEquals(0, run("on", "--catalina-base", base.toString()), err);
        assertTrue(Files.exists(base.resolve("maintenance.flag")), "the valve's default, relative to the base");

        Files.writeString(base.resolve("conf/server.xml"), "<Server/>");
        assertEquals(1, run("on", "--catalina-base", base.toString()));
        assertTrue(err.contains("no MaintenanceValve"), err);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "on --for 2x", "on --until yesterday", "on --until 2020-01-01T00:00Z", "on --for 1h --until 3h",
        "on --auto-end", "on --from 3h --until 2h", "on --allow 10.0.0.0/33", "on --allow everyone",
        "on --colour red", "on extra", "off --flag", "status --jmx 127.0.0.1:1 --no-jmx", "wait-idle --timeout soon"
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

    @Test
    void noFlagLocationIsAUsageError() {
        assertEquals(2, run("on"));
        assertTrue(err.contains("which flag file"), err);
    }

    @Test
    void aMissingDirectoryIsRefused() {
        assertEquals(1, run("on", "--flag", dir.resolve("missing/maintenance.flag").toString()));
        assertTrue(err.contains("does not exist"), err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"on", "off", "status", "wait-idle"})
    void everyVerbHasHelp(String verb) {
        assertEquals(0, run(verb, "--help"));
        assertTrue(out.startsWith("Usage: java -jar maintenance-valve.jar " + verb), out);
    }
}
