package org.maintenancevalve.state;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The INFO line an admin reads in catalina.out for every change of the state in force. */
class AuditLineTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Path FLAG = Path.of("/opt/tomcat/maintenance.flag");

    private static MaintenanceState state(FlagSettings settings, MaintenanceState previous) {
        return MaintenanceState.evaluate(settings, NOW, NOW, previous);
    }

    @Test
    void switchingOnNamesTheSourceTheModesTheMessageAndTheFile() {
        FlagSettings settings = FlagSettings.builder().message("Back at noon").by("alice").build();
        assertEquals("Maintenance ON [source=JMX]: mode off -> full, message=\"Back at noon\", until=(none),"
                + " by=\"alice\", flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(MaintenanceState.OFF, state(settings, MaintenanceState.OFF), "JMX", FLAG));
    }

    @Test
    void switchingOffSaysOff() {
        MaintenanceState on = state(FlagSettings.DEFAULTS, MaintenanceState.OFF);
        assertEquals("Maintenance OFF [source=file]: mode full -> off, flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(on, MaintenanceState.OFF, "file", FLAG));
    }

    @Test
    void movingAnOngoingWindowIntoTheFutureSaysRescheduled() {
        MaintenanceState on = state(FlagSettings.DEFAULTS, MaintenanceState.OFF);
        Instant from = NOW.plusSeconds(3600);
        MaintenanceState later = state(FlagSettings.builder().from(from).build(), on);
        assertEquals("Maintenance OFF (rescheduled) [source=JMX]: mode full -> scheduled, message=(default),"
                + " from=2026-11-24T11:00:00Z, until=(none), flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(on, later, "JMX", FLAG));
    }

    @Test
    void aWindowAnnouncedForLaterSaysScheduledAndThenChanged() {
        FlagSettings settings = FlagSettings.builder().from(NOW.plusSeconds(3600)).until(NOW.plusSeconds(7200)).build();
        MaintenanceState scheduled = state(settings, MaintenanceState.OFF);
        assertEquals("Maintenance SCHEDULED [source=file]: mode off -> scheduled, message=(default),"
                + " from=2026-11-24T11:00:00Z, until=2026-11-24T12:00:00Z, flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(MaintenanceState.OFF, scheduled, "file", FLAG));

        MaintenanceState moved = state(settings.toBuilder().from(NOW.plusSeconds(1800)).build(), scheduled);
        assertEquals("Maintenance CHANGED [source=file]: mode scheduled -> scheduled, message=(default),"
                + " from=2026-11-24T10:30:00Z, until=2026-11-24T12:00:00Z, flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(scheduled, moved, "file", FLAG));
    }

    @Test
    void aChangeWhileOnSaysChanged() {
        MaintenanceState full = state(FlagSettings.DEFAULTS, MaintenanceState.OFF);
        MaintenanceState readOnly = state(FlagSettings.builder().mode(Mode.READ_ONLY).build(), full);
        assertEquals("Maintenance CHANGED [source=JMX]: mode full -> read-only, message=(default), until=(none),"
                + " flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(full, readOnly, "JMX", FLAG));
    }

    @Test
    void aPassedEndIsSaidAndAWindowThatEndsByItselfSaysWhen() {
        FlagSettings overdue = FlagSettings.builder().until(NOW.minusSeconds(60)).build();
        MaintenanceState on = state(overdue, MaintenanceState.OFF);
        assertEquals("Maintenance ON [source=file]: mode off -> full, message=(default),"
                + " until=2026-11-24T09:59:00Z (passed, still on), flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(MaintenanceState.OFF, on, "file", FLAG));

        FlagSettings autoEnd = FlagSettings.builder().until(NOW.plusSeconds(600)).autoEnd(true).build();
        assertEquals("Maintenance CHANGED [source=JMX]: mode full -> full, message=(default),"
                + " until=2026-11-24T10:10:00Z, autoEnd=true (ends by itself at 2026-11-24T10:10:00Z),"
                + " flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(on, state(autoEnd, on), "JMX", FLAG));

        FlagSettings autoEndNoUntil = FlagSettings.builder().autoEnd(true).build();
        assertEquals("Maintenance CHANGED [source=JMX]: mode full -> full, message=(default), until=(none),"
                + " autoEnd=true, flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(on, state(autoEndNoUntil, on), "JMX", FLAG));
    }

    @Test
    void whatBecameOfIncomingMailEndsTheLine() {
        MaintenanceState on = state(FlagSettings.DEFAULTS, MaintenanceState.OFF);
        assertEquals("Maintenance ON [source=file]: mode off -> full, message=(default), until=(none),"
                + " flag=/opt/tomcat/maintenance.flag; incoming mail paused (atlassian.mail.fetchdisabled=true)",
                AuditLine.describe(MaintenanceState.OFF, on, "file", FLAG, "paused (atlassian.mail.fetchdisabled=true)"));
        assertEquals("Maintenance OFF [source=file]: mode full -> off, flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(on, MaintenanceState.OFF, "file", FLAG, null), "nothing to say, nothing said");
    }

    @Test
    void aMessageOrNameFromTheFileCannotForgeALogLine() {
        FlagSettings settings = FlagSettings.builder()
                .message("ok\nSEVERE: Maintenance OFF [source=JMX]: mode full -> off")
                .by("eve\r\u001b[2J\u202e").build();
        assertEquals("Maintenance ON [source=file]: mode off -> full,"
                + " message=\"ok\\nSEVERE: Maintenance OFF [source=JMX]: mode full -> off\", until=(none),"
                + " by=\"eve\\r\\u001b[2J\\u202e\", flag=/opt/tomcat/maintenance.flag",
                AuditLine.describe(MaintenanceState.OFF, state(settings, MaintenanceState.OFF), "file", FLAG));
    }

    @Test
    void quoteEscapesTheEdgesOfTheControlRangesAndNothingPrintable() {
        assertEquals("\"\\u001f \\u007f~\\u0080\\u009f\u00a0\u00ff\"", AuditLine.quote("\u001f \u007f~\u0080\u009f\u00a0\u00ff"));
    }
}
