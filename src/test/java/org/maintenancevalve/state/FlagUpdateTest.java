package org.maintenancevalve.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One meaning of "turn on" for every writer: what is given changes, the rest of the window stays. */
class FlagUpdateTest {

    private static final Consumer<FlagSettings> ANYTHING = settings -> { };

    @TempDir
    Path dir;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private Path flag() {
        return dir.resolve("maintenance.flag");
    }

    private FlagUpdate.Outcome apply(FlagChange.Builder change) throws Exception {
        return FlagUpdate.apply(flag(), change.build(), Clock.fixed(now, ZoneOffset.UTC), ANYTHING);
    }

    private FlagSettings onDisk() {
        FlagSettings settings = FlagFileParser.read(flag(), Clock.systemUTC());
        assertNotNull(settings);
        assertNull(settings.problem(), settings.problem());
        return settings;
    }

    /** A read-only window with every field set, as {@code on --read-only ...} writes it. */
    private FlagSettings readOnlyWindow() throws Exception {
        apply(FlagChange.builder().mode(Mode.READ_ONLY).message("Upgrade").endAfter(Duration.ofHours(2))
                .allow(List.of("10.1.2.3")).bypassSecret("a-secret-of-enough-length").by("alice@jira1"));
        return onDisk();
    }

    @Test
    void aFirstWindowGetsANewIdAndFullModeByDefault() throws Exception {
        FlagUpdate.Outcome outcome = apply(FlagChange.builder().by("alice"));
        assertTrue(outcome.newWindow());
        assertNull(outcome.previous());
        FlagSettings written = onDisk();
        assertEquals(outcome.written(), written);
        assertEquals(Mode.FULL, written.mode());
        assertNotNull(written.window());
        assertTrue(written.window().length() >= 16, written.window());
        assertEquals("alice", written.by());
    }

    @Test
    void aMessageOnlyChangeKeepsModeEndAddressesSecretAndWindow() throws Exception {
        FlagSettings before = readOnlyWindow();
        FlagUpdate.Outcome outcome = apply(FlagChange.builder().message("Update: 10 more minutes").by("bob"));
        FlagSettings after = onDisk();
        assertFalse(outcome.newWindow());
        assertEquals(Mode.READ_ONLY, after.mode(), "the mode switches only when asked");
        assertEquals("Update: 10 more minutes", after.message());
        assertEquals(before.until(), after.until());
        assertEquals(before.allow(), after.allow());
        assertEquals(before.bypassSecret(), after.bypassSecret());
        assertEquals(before.window(), after.window(), "the same window");
        assertEquals("bob", after.by());
        assertEquals(List.of("mode", "until", "allow", "bypassSecret"), outcome.kept());
    }

    @Test
    void readOnlyToFullChangesTheModeOnly() throws Exception {
        FlagSettings before = readOnlyWindow();
        apply(FlagChange.builder().mode(Mode.FULL));
        FlagSettings after = onDisk();
        assertEquals(Mode.FULL, after.mode());
        assertEquals(before.toBuilder().mode(Mode.FULL).build(), after);
    }

    @Test
    void anEndOnlyChangeKeepsTheMessage() throws Exception {
        FlagSettings before = readOnlyWindow();
        apply(FlagChange.builder().endAfter(Duration.ofMinutes(30)));
        FlagSettings after = onDisk();
        assertEquals(now.plus(Duration.ofMinutes(30)), after.until());
        assertEquals(before.toBuilder().until(after.until()).build(), after);

        apply(FlagChange.builder().noEnd());
        assertNull(onDisk().until());
        assertEquals("Upgrade", onDisk().message());
    }

    @Test
    void addressesGivenReplaceTheListAndAnEmptyListRemovesIt() throws Exception {
        apply(FlagChange.builder().message("m"));
        apply(FlagChange.builder().allow(List.of(" 10.0.0.0/8 ", "::1")));
        assertEquals(List.of("10.0.0.0/8", "::1"), onDisk().allow());
        assertEquals("m", onDisk().message());
        apply(FlagChange.builder().allow(List.of()));
        assertEquals(List.of(), onDisk().allow());
    }

    @Test
    void aBlankMessageMeansTheDefaultText() throws Exception {
        readOnlyWindow();
        apply(FlagChange.builder().message("  "));
        assertNull(onDisk().message());
    }

    @Test
    void aKeptAutomaticEndIsSaid() throws Exception {
        apply(FlagChange.builder().endAfter(Duration.ofHours(1)).autoEnd(true));
        FlagUpdate.Outcome extended = apply(FlagChange.builder().endAfter(Duration.ofHours(3)));
        assertTrue(onDisk().autoEnd(), "kept: nothing asked to change it");
        assertTrue(extended.autoEndKept());
        assertTrue(extended.autoEndNote().contains("ends by itself at " + now.plus(Duration.ofHours(3))),
                extended.autoEndNote());

        FlagUpdate.Outcome turnedOff = apply(FlagChange.builder().autoEnd(false));
        assertFalse(onDisk().autoEnd());
        assertFalse(turnedOff.autoEndKept());
        assertNull(turnedOff.autoEndNote());
    }

    @Test
    void aWindowThatEndedByItselfIsReplacedByANewOne() throws Exception {
        Files.write(flag(), ("{\"until\":\"" + now.minusSeconds(60) + "\",\"autoEnd\":true,\"message\":\"old\","
                + "\"bypassSecret\":\"an-old-secret-of-enough-length\",\"window\":\"old-window\"}").getBytes(StandardCharsets.UTF_8));
        FlagUpdate.Outcome outcome = apply(FlagChange.builder());
        assertTrue(outcome.previousEnded());
        assertTrue(outcome.newWindow());
        FlagSettings after = onDisk();
        assertNotEquals("old-window", after.window());
        assertNull(after.message(), "nothing of the ended window");
        assertNull(after.until());
        assertFalse(after.autoEnd());
        assertNull(after.bypassSecret());
    }

    @Test
    void freshDropsEverythingAndStartsANewWindow() throws Exception {
        FlagSettings before = readOnlyWindow();
        Files.write(flag(), new String(Files.readAllBytes(flag()), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"future\":1,").getBytes(StandardCharsets.UTF_8));
        apply(FlagChange.builder().fresh().message("again"));
        FlagSettings after = onDisk();
        assertNotEquals(before.window(), after.window());
        assertEquals(Mode.FULL, after.mode());
        assertEquals("again", after.message());
        assertNull(after.bypassSecret());
        assertFalse(new String(Files.readAllBytes(flag()), StandardCharsets.UTF_8).contains("future"));
    }

    @Test
    void fieldsThisVersionDoesNotKnowAreKeptInAFileTheToolsWrote() throws Exception {
        // A later version's window: it carries the window id every window the tools start has.
        Files.write(flag(), "{\"message\":\"m\",\"window\":\"w1\",\"future\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8));
        apply(FlagChange.builder().mode(Mode.READ_ONLY));
        String text = new String(Files.readAllBytes(flag()), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"future\""), text);
        assertEquals("m", onDisk().message());
        assertEquals("w1", onDisk().window(), "the same window");
    }

    @Test
    void aFileWrittenByHandWithFlagFieldsOnlyIsChangedAndKeepsHavingNoWindowId() throws Exception {
        Files.write(flag(), "{\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8));
        apply(FlagChange.builder().mode(Mode.READ_ONLY));
        assertEquals("m", onDisk().message());
        assertEquals(Mode.READ_ONLY, onDisk().mode());
        assertNull(onDisk().window(), "a window the tools did not start keeps having no id");
    }

    @Test
    void aFlagWithABadValueIsNotChangedUnlessReplacedWhole() throws Exception {
        byte[] broken = "{\"mode\": \"maintenance\"}".getBytes(StandardCharsets.UTF_8);
        Files.write(flag(), broken);
        FlagChangeRefused refused = assertThrows(FlagChangeRefused.class, () -> apply(FlagChange.builder().message("x")));
        assertFalse(refused.isBadValue());
        assertTrue(refused.getMessage().contains("cannot be used as it is (field \"mode\" must be"), refused.getMessage());
        assertArrayEquals(broken, Files.readAllBytes(flag()), "untouched");

        apply(FlagChange.builder().fresh().message("x"));
        assertEquals("x", onDisk().message());
    }

    @Test
    void whatDoesNotReadAsAFlagFileIsNotReplacedNotEvenFresh() throws Exception {
        String[][] cases = {
            {"{\"message\": \"half", "is not JSON"},
            {"maintenance until 3am", "is not JSON"},
            {"[\"mode\"]", "is JSON, but not an object"},
            {"{\"mode\":\"full\",\"password\":\"hunter2\"}", "has a field a flag file does not have (\"password\") and no window id"},
            {"{\"db\":1,\"user\":2,\"url\":3,\"pool\":4,\"window\":5}",
                "has fields a flag file does not have (\"db\", \"user\", \"url\" and 1 more) and no window id"},
        };
        for (String[] c : cases) {
            byte[] content = c[0].getBytes(StandardCharsets.UTF_8);
            Files.write(flag(), content);
            for (boolean fresh : new boolean[] {false, true}) {
                FlagChange.Builder change = FlagChange.builder().message("x");
                if (fresh) {
                    change.fresh();
                }
                FlagChangeRefused refused = assertThrows(FlagChangeRefused.class, () -> apply(change), c[0]);
                assertFalse(refused.isBadValue());
                assertEquals(flag() + " is not replaced: it " + c[1] + (c[1].contains("window id")
                        ? " (which every flag file the tools write has)" : "") + ", so it does not read as a"
                        + " maintenance flag file and may be another file. Nothing was changed. Look at it (ls -l "
                        + flag() + "); if it is the flag file, remove it yourself (rm " + flag() + ") and try again.",
                        refused.getMessage());
                assertArrayEquals(content, Files.readAllBytes(flag()), "untouched: " + c[0]);
            }
        }
        byte[] large = new byte[FlagFileParser.MAX_BYTES + 1];
        java.util.Arrays.fill(large, (byte) ' ');
        Files.write(flag(), large);
        FlagChangeRefused refused = assertThrows(FlagChangeRefused.class, () -> apply(FlagChange.builder().fresh()));
        assertTrue(refused.getMessage().contains("it is larger than 65536 bytes"), refused.getMessage());
        Files.write(flag(), new byte[] {'{', (byte) 0xff, '}'});
        refused = assertThrows(FlagChangeRefused.class, () -> apply(FlagChange.builder().fresh()));
        assertTrue(refused.getMessage().contains("it is not UTF-8 text"), refused.getMessage());
        assertArrayEquals(new byte[] {'{', (byte) 0xff, '}'}, Files.readAllBytes(flag()));
    }

    @Test
    void aTouchedFlagIsReplaced() throws Exception {
        Files.write(flag(), " \n".getBytes(StandardCharsets.UTF_8));
        FlagUpdate.Outcome outcome = apply(FlagChange.builder().message("x"));
        assertFalse(outcome.newWindow(), "a touched flag is a window in force: it is changed");
        assertEquals("x", onDisk().message());
    }

    @Test
    void aSymbolicLinkIsNotFollowedNorReplacedNotEvenFresh() throws Exception {
        Path other = Files.write(dir.resolve("other.json"), "{\"message\":\"not mine\"}".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(flag(), other);
        for (FlagChange.Builder change : List.of(FlagChange.builder().message("x"), FlagChange.builder().fresh())) {
            FlagChangeRefused refused = assertThrows(FlagChangeRefused.class, () -> apply(change));
            assertTrue(refused.getMessage().startsWith(flag() + " is not replaced: it is a symbolic link (to \"" + other
                    + "\"), which the tools never follow"), refused.getMessage());
            assertTrue(Files.isSymbolicLink(flag()), "the link stays");
            assertEquals("{\"message\":\"not mine\"}", Files.readString(other), "its target is untouched");
        }
        Files.delete(flag());
        Files.createDirectory(flag());
        FlagChangeRefused refused = assertThrows(FlagChangeRefused.class, () -> apply(FlagChange.builder().fresh()));
        assertTrue(refused.getMessage().contains("it is a directory") && refused.getMessage().contains("(rmdir "),
                refused.getMessage());
        assertTrue(Files.isDirectory(flag()));
    }

    @Test
    void theFileWrittenIsInTheDirectoryThatWasRead() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path linked = Files.createSymbolicLink(dir.resolve("linked"), real);
        Files.write(real.resolve("maintenance.flag"), "{\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8));
        FlagUpdate.apply(linked.resolve("maintenance.flag"), FlagChange.builder().mode(Mode.READ_ONLY).build(),
                Clock.fixed(now, ZoneOffset.UTC), ANYTHING);
        FlagSettings written = FlagFileParser.read(real.resolve("maintenance.flag"), Clock.systemUTC());
        assertEquals(Mode.READ_ONLY, written.mode());
        assertEquals("m", written.message());
        assertTrue(Files.isSymbolicLink(linked), "the directory's link is kept, not replaced");
    }

    @Test
    void whatTheValveWouldRefuseOrIgnoreIsNotWritten() throws Exception {
        readOnlyWindow();
        byte[] before = Files.readAllBytes(flag());

        assertBadValue(FlagChange.builder().message("x".repeat(FlagFileParser.MAX_BYTES)), "larger than");
        assertBadValue(FlagChange.builder().until(now.plus(Duration.ofDays(400))), "days ahead");
        assertBadValue(FlagChange.builder().from(now.plus(Duration.ofHours(5))), "is not before");
        assertBadValue(FlagChange.builder().until(now.minusSeconds(1)), "not in the future");
        assertBadValue(FlagChange.builder().noEnd().autoEnd(true), "needs an expected end");
        assertArrayEquals(before, Files.readAllBytes(flag()), "untouched");

        FlagChangeRefused refused = assertThrows(FlagChangeRefused.class, () -> FlagUpdate.apply(flag(),
                FlagChange.builder().allow(List.of("localhost")).build(), Clock.fixed(now, ZoneOffset.UTC),
                settings -> {
                    throw new IllegalArgumentException("its \"allow\" list is ignored");
                }));
        assertTrue(refused.isBadValue());
        assertTrue(refused.getMessage().contains("allow"), refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(flag()), "untouched");
    }

    @Test
    void anOverdueWindowCannotBeGivenAnAutomaticEndThatEndsItAtOnce() throws Exception {
        Files.write(flag(), ("{\"until\":\"" + now.minusSeconds(60) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertBadValue(FlagChange.builder().autoEnd(true), "would end at once");
    }

    @Test
    void aDurationCountsFromAScheduledStart() throws Exception {
        Instant from = now.plus(Duration.ofHours(2));
        apply(FlagChange.builder().from(from));
        apply(FlagChange.builder().endAfter(Duration.ofMinutes(45)));
        assertEquals(from.plus(Duration.ofMinutes(45)), onDisk().until());
        apply(FlagChange.builder().startNow());
        assertNull(onDisk().from());
    }

    @Test
    void theFingerprintFollowsTheContentNotItsLayout() throws IOException {
        Files.write(flag(), "{\"mode\":\"read-only\",\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8));
        String compact = onDisk().fingerprint();
        Files.write(flag(), "{\n  \"message\" : \"m\",\n  \"mode\" : \"read-only\"\n}".getBytes(StandardCharsets.UTF_8));
        assertEquals(compact, onDisk().fingerprint());
        Files.write(flag(), "{\"mode\":\"read-only\",\"message\":\"n\"}".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(compact, onDisk().fingerprint());
        assertEquals(16, compact.length());
    }

    private void assertBadValue(FlagChange.Builder change, String reason) {
        FlagChangeRefused refused = assertThrows(FlagChangeRefused.class, () -> apply(change));
        assertTrue(refused.isBadValue(), refused.getMessage());
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }
}
