package org.maintenancevalve.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagFileParserTest {

    private static FlagSettings parse(String text) {
        return FlagFileParser.parse(text.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n", "\r\n\t ", "\uFEFF"})
    void emptyFileMeansFullMaintenanceWithDefaults(String text) {
        FlagSettings settings = parse(text);
        assertEquals(FlagSettings.DEFAULTS, settings);
        assertEquals(Mode.FULL, settings.mode());
        assertNull(settings.message());
        assertNull(settings.until());
        assertNull(settings.problem());
    }

    @Test
    void readsEveryField() {
        FlagSettings settings = parse("{\"mode\":\"read-only\",\"message\":\"Upgrade to 10.3\","
                + "\"until\":\"2026-11-25T03:00:00Z\",\"from\":\"2026-11-25T01:00+01:00\",\"by\":\"alice@jira1\","
                + "\"autoEnd\":true,\"bypassSecret\":\"s3cret\",\"allow\":[\"203.0.113.7\"],\"window\":\"w-1\"}");
        assertNull(settings.problem());
        assertEquals(Mode.READ_ONLY, settings.mode());
        assertEquals("Upgrade to 10.3", settings.message());
        assertEquals(Instant.parse("2026-11-25T03:00:00Z"), settings.until());
        assertEquals(Instant.parse("2026-11-25T00:00:00Z"), settings.from());
        assertEquals("alice@jira1", settings.by());
        assertTrue(settings.autoEnd());
        assertEquals("s3cret", settings.bypassSecret());
        assertEquals(Arrays.asList("203.0.113.7"), settings.allow());
        assertEquals("w-1", settings.window());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"mode\":\"full\\n12-Jan-2027 INFO forged line\\u001b[2J\"}",
        "{\"until\":\"soon\\r\\nSEVERE forged\\u0085\\u2028\"}",
        "{\"from\":\"\\u009b31m\\u202e\"}",
        "{\"mode\":\"full\", \u001b[31m}",
        "{\"mode\" \u001b\u009b\n: 1}"})
    void aProblemQuotesWhatTheFileSaidSoNothingForgesALogLine(String json) {
        String problem = parse(json).problem();
        assertNotNull(problem, json);
        for (char c : problem.toCharArray()) {
            assertTrue(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && c != '\u2028' && c != '\u202e',
                    "control character " + (int) c + " in: " + problem);
        }
    }

    @Test
    void quoteEscapesEveryControlCharacter() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\u001b\\u0085\\u009b\\u2028\\u202e\\u0000 é\"",
                AuditLine.quote("a\"b\\c\n\r\u001b\u0085\u009b\u2028\u202e\u0000 é"));
        assertEquals("null", AuditLine.quote(null));
    }

    @Test
    void acceptsTimesWithoutSecondsAndWithOffsets() {
        assertEquals(Instant.parse("2026-11-25T03:00:00Z"), parse("{\"until\":\"2026-11-25T03:00Z\"}").until());
        assertEquals(Instant.parse("2026-11-25T02:00:00Z"), parse("{\"until\":\"2026-11-25T03:00:00+01:00\"}").until());
    }

    @Test
    void ignoresUnknownFields() {
        FlagSettings settings = parse("{\"message\":\"hi\",\"somethingNew\":{\"x\":[1,2]}}");
        assertNull(settings.problem());
        assertEquals("hi", settings.message());
    }

    @Test
    void aBlankMessageMeansTheDefault() {
        assertNull(parse("{\"message\":\"  \"}").message());
    }

    @Test
    void aBomBeforeJsonIsHarmless() {
        FlagSettings settings = parse("\uFEFF{\"message\":\"hi\"}");
        assertNull(settings.problem());
        assertEquals("hi", settings.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "{\"message\":", "[1,2]", "\"text\"", "42", "null",
        "{\"mode\":\"half\"}", "{\"mode\":1}", "{\"message\":42}", "{\"message\":[\"a\"]}",
        "{\"until\":\"tomorrow\"}", "{\"until\":17}", "{\"from\":\"2026-13-01T00:00Z\"}",
        "{\"autoEnd\":\"yes\"}", "{\"from\":\"2026-11-25T03:00Z\",\"until\":\"2026-11-25T01:00Z\"}",
        "{\"until\":\"9999-12-31T23:59:59Z\"}", "{\"mode\":\"readonly\"}", "{\"allow\":\"10.0.0.1\"}", "{\"allow\":[1]}", "{\"a\":1}{\"b\":2}x"
    })
    void anythingWrongFailsClosedToFullMaintenanceWithTheDefaultMessage(String text) {
        FlagSettings settings = parse(text);
        assertNotNull(settings.problem(), "a problem is reported for " + text);
        assertEquals(Mode.FULL, settings.mode());
        assertNull(settings.message());
        assertNull(settings.until());
        assertNull(settings.bypassSecret());
        assertTrue(settings.allow().isEmpty());
    }

    @Test
    void theProblemNamesTheField() {
        assertTrue(parse("{\"until\":\"tomorrow\"}").problem().contains("until"));
        assertTrue(parse("{\"mode\":\"half\"}").problem().contains("mode"));
    }

    @Test
    void aFileLargerThan64KiBIsRefused() {
        byte[] big = new byte[FlagFileParser.MAX_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        FlagSettings settings = FlagFileParser.parse(big, Clock.systemUTC());
        assertNotNull(settings.problem());
        assertTrue(settings.problem().contains("larger"));
        assertEquals(Mode.FULL, settings.mode());
    }

    @Test
    void exactly64KiBIsRead() {
        byte[] max = new byte[FlagFileParser.MAX_BYTES];
        Arrays.fill(max, (byte) ' ');
        assertNull(FlagFileParser.parse(max, Clock.systemUTC()).problem());
    }

    @Test
    void binaryJunkAndDeepNestingFailClosed() {
        byte[] junk = new byte[1000];
        new java.util.Random(7).nextBytes(junk);
        assertNotNull(FlagFileParser.parse(junk, Clock.systemUTC()).problem());

        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            deep.append('[');
        }
        FlagSettings settings = parse(deep.toString());
        assertNotNull(settings.problem());
        assertFalse(settings.problem().isEmpty());
    }

    // ------------------------------------------------------------ what reads as a flag file

    private static String notAFlagFile(String text) {
        return FlagFileParser.notAFlagFile(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " \n\t", "\uFEFF", "{}", "\uFEFF{\"mode\":\"full\"}",
        "{\"mode\":\"read-only\",\"message\":\"m\",\"from\":\"2026-11-25T01:00Z\",\"until\":\"2026-11-25T03:00Z\","
            + "\"autoEnd\":true,\"allow\":[\"10.1.2.3\"],\"bypassSecret\":\"s\",\"by\":\"alice\",\"window\":\"w\"}",
        "{\"mode\":\"maintenance\"}", "{\"until\":\"soon\",\"allow\":\"everyone\"}", "{\"autoEnd\":\"yes\"}",
        "{\"window\":\"w1\",\"future\":{\"x\":1}}", "{\"window\":\"w1\",\"db\":\"x\",\"password\":\"y\"}"})
    void aTouchedFileAndAJsonObjectOfFlagFieldsOrWithAWindowIdAreFlagFiles(String text) {
        assertNull(notAFlagFile(text), text);
    }

    @Test
    void anythingElseIsNotAndSaysWhy() {
        assertEquals("is not JSON", notAFlagFile("maintenance"));
        assertEquals("is not JSON", notAFlagFile("{\"message\": \"half"));
        assertEquals("is not JSON", notAFlagFile("{} {}"), "trailing content");
        assertEquals("is JSON, but not an object", notAFlagFile("[\"mode\"]"));
        assertEquals("is JSON, but not an object", notAFlagFile("null"));
        assertEquals("has a field a flag file does not have (\"db\") and no window id (which every flag file the"
                + " tools write has)", notAFlagFile("{\"db\":\"secret\",\"mode\":\"full\"}"));
        assertEquals("has fields a flag file does not have (\"a\", \"b\", \"c\" and 2 more) and no window id (which"
                + " every flag file the tools write has)", notAFlagFile("{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1}"));
        assertEquals("has a field a flag file does not have (\"x\\u001b[2J\") and no window id (which every flag file"
                + " the tools write has)", notAFlagFile("{\"x\\u001b[2J\":1}"), "a name is quoted for a terminal");
        assertTrue(notAFlagFile("{\"window\":\"\",\"db\":1}").startsWith("has a field"), "an empty window id is none");
        assertTrue(notAFlagFile("{\"window\":7,\"db\":1}").startsWith("has a field"), "a window id is a string");
        assertTrue(notAFlagFile("{\"Mode\":\"full\"}").startsWith("has a field"), "names are matched exactly");
        assertEquals("is not UTF-8 text", FlagFileParser.notAFlagFile(new byte[] {'{', (byte) 0xc3, '}'}));
        byte[] large = new byte[FlagFileParser.MAX_BYTES + 1];
        Arrays.fill(large, (byte) ' ');
        assertEquals("is larger than 65536 bytes", FlagFileParser.notAFlagFile(large));
        assertNull(FlagFileParser.notAFlagFile(Arrays.copyOf(large, FlagFileParser.MAX_BYTES)), "64 KiB of blanks is a touched flag");
    }

    @Test
    void theFieldsOfAFlagFileAreEverySettingOfOne() {
        // A setting added to FlagSettings (and so to the file) must be a flag field, or a file
        // holding it would stop reading as a flag file.
        java.util.Set<String> settings = new java.util.HashSet<>();
        for (java.lang.reflect.Field field : FlagSettings.class.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(field.getModifiers()) && !field.getName().equals("problem")) {
                settings.add(field.getName());
            }
        }
        assertEquals(settings, FlagFileParser.FIELDS);
    }
}
