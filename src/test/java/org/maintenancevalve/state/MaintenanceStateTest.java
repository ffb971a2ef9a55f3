package org.maintenancevalve.state;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaintenanceStateTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant MODIFIED = Instant.parse("2026-11-24T09:59:30.123456Z");

    @Test
    void noFlagIsOff() {
        MaintenanceState state = MaintenanceState.evaluate(null, null, NOW, MaintenanceState.OFF);
        assertSame(MaintenanceState.OFF, state);
        assertFalse(state.isActive());
        assertEquals("off", state.modeText());
    }

    @Test
    void aFlagIsActiveSinceItWasWrittenToTheSecond() {
        MaintenanceState state = MaintenanceState.evaluate(FlagSettings.DEFAULTS, MODIFIED, NOW, MaintenanceState.OFF);
        assertTrue(state.isActive());
        assertEquals("full", state.modeText());
        assertEquals(Instant.parse("2026-11-24T09:59:30Z"), state.since());
    }

    @Test
    void anOngoingWindowKeepsItsStartWhenTheFileChanges() {
        MaintenanceState first = MaintenanceState.evaluate(FlagSettings.DEFAULTS, MODIFIED, NOW, MaintenanceState.OFF);
        FlagSettings readOnly = FlagSettings.builder().mode(Mode.READ_ONLY).build();
        MaintenanceState second = MaintenanceState.evaluate(readOnly, NOW, NOW.plusSeconds(60), first);
        assertEquals("read-only", second.modeText());
        assertEquals(first.since(), second.since());
    }

    @Test
    void aFutureStartIsScheduledAndBlocksNobody() {
        FlagSettings settings = FlagSettings.builder().from(NOW.plusSeconds(600)).build();
        MaintenanceState state = MaintenanceState.evaluate(settings, MODIFIED, NOW, MaintenanceState.OFF);
        assertEquals(MaintenanceState.Phase.SCHEDULED, state.phase());
        assertEquals("scheduled", state.modeText());
        assertFalse(state.isActive());
        assertNull(state.since());

        MaintenanceState started = MaintenanceState.evaluate(settings, MODIFIED, NOW.plusSeconds(600), state);
        assertTrue(started.isActive());
        assertEquals(NOW.plusSeconds(600), started.since());
    }

    @Test
    void autoEndTurnsOffAtUntilOnlyWhenAskedTo() {
        FlagSettings stay = FlagSettings.builder().until(NOW.minusSeconds(1)).build();
        assertTrue(MaintenanceState.evaluate(stay, MODIFIED, NOW, MaintenanceState.OFF).isActive());

        FlagSettings end = FlagSettings.builder().until(NOW.minusSeconds(1)).autoEnd(true).build();
        assertSame(MaintenanceState.OFF, MaintenanceState.evaluate(end, MODIFIED, NOW, MaintenanceState.OFF));
    }

    @Test
    void passingTheAnnouncedEndMakesTheStateOverdueWithoutEndingIt() {
        FlagSettings settings = FlagSettings.builder().until(NOW.plusSeconds(60)).build();
        MaintenanceState before = MaintenanceState.evaluate(settings, MODIFIED, NOW, MaintenanceState.OFF);
        assertFalse(before.isOverdue());
        MaintenanceState after = MaintenanceState.evaluate(settings, MODIFIED, NOW.plusSeconds(60), before);
        assertTrue(after.isActive());
        assertTrue(after.isOverdue());
        assertFalse(before.equals(after), "a change the watcher publishes, so the page is rendered anew");
    }

    @Test
    void sinceIsNeverInTheFuture() {
        MaintenanceState state = MaintenanceState.evaluate(FlagSettings.DEFAULTS, NOW.plusSeconds(3600), NOW,
                MaintenanceState.OFF);
        assertEquals(NOW, state.since());
    }

    @Test
    void thePhaseIsOffScheduledOnOrOverdueWhateverTheMode() {
        assertEquals("off", MaintenanceState.OFF.phaseText());
        FlagSettings later = FlagSettings.builder().mode(Mode.READ_ONLY).from(NOW.plusSeconds(600))
                .until(NOW.plusSeconds(1200)).build();
        MaintenanceState scheduled = MaintenanceState.evaluate(later, MODIFIED, NOW, MaintenanceState.OFF);
        assertEquals("scheduled", scheduled.phaseText());
        MaintenanceState on = MaintenanceState.evaluate(later, MODIFIED, NOW.plusSeconds(600), scheduled);
        assertEquals("on", on.phaseText());
        assertEquals("read-only", on.modeText());
        MaintenanceState overdue = MaintenanceState.evaluate(later, MODIFIED, NOW.plusSeconds(1200), on);
        assertEquals("overdue", overdue.phaseText());
        FlagSettings autoEnd = FlagSettings.builder().until(NOW.minusSeconds(1)).autoEnd(true).build();
        assertEquals("off", MaintenanceState.evaluate(autoEnd, MODIFIED, NOW, on).phaseText());
    }
}
