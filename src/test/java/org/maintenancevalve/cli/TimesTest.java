package org.maintenancevalve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.maintenancevalve.command.UsageException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneId.of("Europe/Berlin"));

    @ParameterizedTest
    @CsvSource({"90m, 90", "2h, 120", "1h30m, 90", "2d, 2880", "45s, 0", "PT2H, 120", "pt15m, 15"})
    void durations(String text, long minutes) throws UsageException {
        assertEquals(minutes, Times.duration("--for", text).toMinutes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0m", "2x", "-5m", "h", "1.5h", "PT0S", "90"})
    void badDurations(String text) {
        assertThrows(UsageException.class, () -> Times.duration("--for", text));
    }

    @Test
    void times() throws UsageException {
        assertEquals(Instant.parse("2026-11-25T03:00:00Z"), Times.instant("--until", "2026-11-25T03:00Z", CLOCK));
        assertEquals(Instant.parse("2026-11-25T02:00:00Z"), Times.instant("--until", "2026-11-25T03:00+01:00", CLOCK));
        assertEquals(Instant.parse("2026-11-25T02:00:00Z"), Times.instant("--until", "2026-11-25T03:00", CLOCK),
                "local time of this machine's zone");
        assertEquals(Instant.parse("2026-11-24T12:00:00Z"), Times.instant("--until", "2h", CLOCK));
        assertEquals(Duration.ofMinutes(90), Duration.between(CLOCK.instant(), Times.instant("--from", "90m", CLOCK)));
        assertThrows(UsageException.class, () -> Times.instant("--until", "tomorrow 3am", CLOCK));
    }

    @Test
    void howFarATimeIsReadsAsAnAdminSaysIt() {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        assertEquals("in less than a minute", Times.relative(now, now.plusSeconds(59)));
        assertEquals("in 1 min", Times.relative(now, now.plusSeconds(60)));
        assertEquals("in 119 min", Times.relative(now, now.plus(Duration.ofMinutes(119))));
        assertEquals("in 2 h 0 min", Times.relative(now, now.plus(Duration.ofMinutes(120))));
        assertEquals("3 h 20 min ago", Times.relative(now, now.minus(Duration.ofMinutes(200))));
        assertEquals("less than a minute ago", Times.relative(now, now.minusSeconds(59)));
    }
}
