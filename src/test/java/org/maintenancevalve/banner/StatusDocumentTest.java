package org.maintenancevalve.banner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;
import org.maintenancevalve.state.Mode;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T21:58:00Z");
    private static final Instant FROM = Instant.parse("2026-11-25T22:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-11-25T23:30:00Z");
    private static final String HOSTILE = "<script>alert(1)</script> & \"quoted\" \u2028 line\nbreak – ünïcödé";

    private static MaintenanceState state(FlagSettings settings, Instant now) {
        MaintenanceState state = MaintenanceState.evaluate(settings, NOW.minusSeconds(600), now, MaintenanceState.OFF);
        return MaintenanceState.evaluate(settings, NOW.minusSeconds(600), now, state);
    }

    private static JsonNode body(StatusDocument document, long nowMillis, boolean admitted) throws Exception {
        return JSON.readTree(bytes(document, nowMillis, admitted));
    }

    private static byte[] bytes(StatusDocument document, long nowMillis, boolean admitted) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.writeBody(out, nowMillis, admitted);
        assertEquals(out.size(), document.length(nowMillis, admitted), "the Content-Length is the body's");
        return out.toByteArray();
    }

    @Test
    void offSaysOffAndAdmitted() throws Exception {
        JsonNode off = body(StatusDocument.render(MaintenanceState.OFF), NOW.toEpochMilli(), true);
        assertEquals("{\"phase\":\"off\",\"mode\":null,\"message\":null,\"from\":null,\"until\":null,"
                + "\"serverTime\":" + NOW.toEpochMilli() + ",\"startsIn\":null,\"endsIn\":null,\"admitted\":true}",
                off.toString());
    }

    @Test
    void scheduledCountsDownToTheStartAndTheEnd() throws Exception {
        FlagSettings settings = FlagSettings.builder().mode(Mode.READ_ONLY).message(HOSTILE).from(FROM).until(UNTIL)
                .build();
        MaintenanceState scheduled = state(settings, NOW);
        JsonNode body = body(StatusDocument.render(scheduled), NOW.toEpochMilli() + 200, true);
        assertEquals("scheduled", body.get("phase").asText());
        assertEquals("read-only", body.get("mode").asText());
        assertEquals(HOSTILE, body.get("message").asText(), "the message as written");
        assertEquals(FROM.toString(), body.get("from").asText());
        assertEquals(UNTIL.toString(), body.get("until").asText());
        assertEquals(NOW.toEpochMilli() + 200, body.get("serverTime").asLong());
        assertEquals(120, body.get("startsIn").asLong(), "119.8 s, rounded up");
        assertEquals(5520, body.get("endsIn").asLong());
        assertTrue(body.get("admitted").asBoolean());
    }

    @Test
    void onSaysSinceWhenAndWhetherThisBrowserIsInsideButNotHow() throws Exception {
        FlagSettings settings = FlagSettings.builder().from(FROM).until(UNTIL).build();
        Instant later = FROM.plusSeconds(60);
        StatusDocument on = StatusDocument.render(state(settings, later));
        JsonNode blocked = body(on, later.toEpochMilli(), false);
        assertEquals("on", blocked.get("phase").asText());
        assertEquals("full", blocked.get("mode").asText());
        assertTrue(blocked.get("message").isNull(), "no message of the admin's: the banner says its own");
        assertEquals(FROM.toString(), blocked.get("from").asText(), "when the window began");
        assertTrue(blocked.get("startsIn").isNull());
        assertEquals(5340, blocked.get("endsIn").asLong());
        assertFalse(blocked.get("admitted").asBoolean());
        JsonNode inside = body(on, later.toEpochMilli(), true);
        assertTrue(inside.get("admitted").asBoolean());
        assertEquals(fieldNames(blocked), fieldNames(inside), "the same fields: no way in is named");
        String outside = new String(bytes(on, later.toEpochMilli(), false), java.nio.charset.StandardCharsets.UTF_8);
        String in = new String(bytes(on, later.toEpochMilli(), true), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(outside.replace("\"admitted\":false}", "\"admitted\":true}"), in,
                "inside or not is the only difference");
    }

    @Test
    void overdueCountsBelowZero() throws Exception {
        FlagSettings settings = FlagSettings.builder().until(UNTIL).build();
        Instant late = UNTIL.plusSeconds(125);
        JsonNode body = body(StatusDocument.render(state(settings, late)), late.toEpochMilli() + 500, false);
        assertEquals("overdue", body.get("phase").asText());
        assertEquals(-125, body.get("endsIn").asLong(), "125.5 s ago, rounded up");
    }

    @Test
    void nothingSecretIsInIt() throws Exception {
        FlagSettings settings = FlagSettings.builder().bypassSecret("Z7QyFmmV4Tl5v_7DPG1X94Y_0AP_UDzN")
                .allow(List.of("10.9.8.7", "192.168.77.0/24")).by("alice@jira-prod-1").window("w-4711").build();
        String text = JSON.writeValueAsString(body(StatusDocument.render(state(settings, NOW)), 0, false));
        for (String secret : new String[] {"Z7Qy", "10.9.8.7", "192.168.77", "alice", "jira-prod", "w-4711"}) {
            assertFalse(text.contains(secret), secret + " in " + text);
        }
        assertEquals(List.of("phase", "mode", "message", "from", "until", "serverTime", "startsIn", "endsIn",
                "admitted"), fieldNames(JSON.readTree(text)));
        FlagSettings broken = FlagSettings.failClosed("is not JSON: /var/atlassian/secret-path");
        String failClosed = JSON.writeValueAsString(body(StatusDocument.render(state(broken, NOW)), 0, false));
        assertFalse(failClosed.contains("secret-path"), "the problem stays in the log: " + failClosed);
        assertTrue(failClosed.contains("\"phase\":\"on\",\"mode\":\"full\""), failClosed);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void markupInTheMessageIsEscapedInTheBytes() throws Exception {
        FlagSettings settings = FlagSettings.builder().message(HOSTILE).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StatusDocument.render(state(settings, NOW)).writeBody(out, 0, false);
        String raw = out.toString("UTF-8");
        assertFalse(raw.contains("<") || raw.contains(">") || raw.contains("&"), raw);
    }

    @Test
    void theAnswerIs200NoStoreJsonAndHeadHasNoBody() throws Exception {
        StatusDocument document = StatusDocument.render(MaintenanceState.OFF);
        Capture get = new Capture();
        get.coyote.setCharacterEncoding("ISO-8859-1"); // set before the valve: must not be appended
        document.writeTo(get.response, false, NOW.toEpochMilli(), true);
        assertEquals(200, get.status);
        assertEquals("no-store", get.headers.get("Cache-Control"));
        assertEquals("nosniff", get.headers.get("X-Content-Type-Options"));
        assertEquals("application/json;charset=UTF-8", get.coyote.getContentType());
        assertEquals(get.body.size(), get.contentLength);
        assertEquals("off", JSON.readTree(get.text()).get("phase").asText());

        Capture head = new Capture();
        document.writeTo(head.response, true, NOW.toEpochMilli(), true);
        assertEquals(200, head.status);
        assertEquals(get.contentLength, head.contentLength, "HEAD announces the length GET sends");
        assertEquals(0, head.body.size());
    }

    @Test
    void numbersAreWrittenAsDecimalDigits() throws Exception {
        for (long value : new long[] {0, 1, 9, 10, 99, 100, -1, -9, -10, 1_795_643_880_000L, Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StatusDocument.writeDecimal(out, value);
            assertEquals(Long.toString(value), out.toString("US-ASCII"));
            assertEquals(Long.toString(value).length(), StatusDocument.decimalLength(value), Long.toString(value));
        }
        assertEquals(1, StatusDocument.ceilSeconds(1));
        assertEquals(1, StatusDocument.ceilSeconds(1000));
        assertEquals(2, StatusDocument.ceilSeconds(1001));
        assertEquals(0, StatusDocument.ceilSeconds(0));
        assertEquals(0, StatusDocument.ceilSeconds(-999));
        assertEquals(-1, StatusDocument.ceilSeconds(-1000));
    }
}
