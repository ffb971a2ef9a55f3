package org.maintenancevalve.state;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fingerprint the tools compare with what a valve reports it has applied. */
class FlagSettingsTest {

    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

    /** The defaults and, for every field, settings that differ from them in that field alone. */
    private static final List<FlagSettings> ONE_FIELD_EACH = Arrays.asList(
            FlagSettings.DEFAULTS,
            FlagSettings.builder().mode(Mode.READ_ONLY).build(),
            FlagSettings.builder().message("Back at noon").build(),
            FlagSettings.builder().from(T).build(),
            FlagSettings.builder().until(T).build(),
            FlagSettings.builder().by("alice").build(),
            FlagSettings.builder().autoEnd(true).build(),
            FlagSettings.builder().bypassSecret("s3cret-s3cret-s3cret").build(),
            FlagSettings.builder().allow(Arrays.asList("10.0.0.0/8")).build(),
            FlagSettings.builder().allow(Arrays.asList("/status")).build(),
            FlagSettings.builder().allow(Arrays.asList("10.0.0.0/8", "/status")).build(),
            FlagSettings.builder().window("nightly").build(),
            FlagSettings.failClosed("not valid JSON"));

    @Test
    void everyFieldChangesTheFingerprint() {
        Set<String> fingerprints = new HashSet<>();
        for (FlagSettings settings : ONE_FIELD_EACH) {
            assertTrue(fingerprints.add(settings.fingerprint()), "same fingerprint as another: " + settings);
        }
    }

    @Test
    void equalSettingsHaveTheSameFingerprint() {
        FlagSettings a = FlagSettings.builder().message("m").until(T).by("bob").allow(Arrays.asList("/x")).build();
        FlagSettings b = a.toBuilder().build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void fieldsCannotBeShiftedIntoEachOther() {
        FlagSettings messageAndBy = FlagSettings.builder().message("a").by("b").build();
        FlagSettings allInMessage = FlagSettings.builder().message("a;1:b").build();
        assertNotEquals(messageAndBy.fingerprint(), allInMessage.fingerprint());
        FlagSettings twoEntries = FlagSettings.builder().allow(Arrays.asList("a", "b")).build();
        FlagSettings oneEntry = FlagSettings.builder().allow(Arrays.asList("a;1:b")).build();
        assertNotEquals(twoEntries.fingerprint(), oneEntry.fingerprint());
    }

    @Test
    void aFingerprintIsSixteenHexDigitsThatAllVary() {
        // Short enough to show, long enough not to collide; each digit carries part of the digest.
        int positions = 16;
        List<Set<Character>> seen = new java.util.ArrayList<>();
        for (int i = 0; i < positions; i++) {
            seen.add(new HashSet<>());
        }
        for (int n = 0; n < 40; n++) {
            String fingerprint = FlagSettings.builder().message("message " + n).build().fingerprint();
            assertTrue(fingerprint.matches("[0-9a-f]{16}"), fingerprint);
            for (int i = 0; i < positions; i++) {
                seen.get(i).add(fingerprint.charAt(i));
            }
        }
        for (int i = 0; i < positions; i++) {
            assertTrue(seen.get(i).size() > 4, "digit " + i + " hardly varies: " + seen.get(i));
        }
    }

    @Test
    void theSecretStaysOutOfToStringAndTheFingerprint() {
        FlagSettings settings = FlagSettings.builder().bypassSecret("s3cret-s3cret-s3cret").message("m").build();
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
        assertTrue(settings.toString().contains("bypassSecret=set"), settings.toString());
        assertTrue(FlagSettings.DEFAULTS.toString().contains("bypassSecret=none"), FlagSettings.DEFAULTS.toString());
        assertFalse(settings.fingerprint().contains("s3cret"));
    }
}
