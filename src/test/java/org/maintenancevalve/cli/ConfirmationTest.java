package org.maintenancevalve.cli;

import org.junit.jupiter.api.Test;
import org.maintenancevalve.command.Refused;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Confirmation asks each valve until it applies what was written, within its pollInterval plus a margin. */
class ConfirmationTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true);

    /** A valve that answers the given fingerprints in turn, the last one for ever. */
    private static class FakeValve implements Confirmation.Valve {
        private final String label;
        private final long pollInterval;
        private final Deque<String> answers;
        int refreshes;

        FakeValve(String label, long pollInterval, String... answers) {
            this.label = label;
            this.pollInterval = pollInterval;
            this.answers = new ArrayDeque<>(Arrays.asList(answers));
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public long pollInterval() {
            return pollInterval;
        }

        @Override
        public String refresh() throws Refused {
            refreshes++;
            return answers.size() > 1 ? answers.poll() : answers.peek();
        }

        @Override
        public String mode() {
            return "full";
        }
    }

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyValveThatAppliesItIsALine() {
        FakeValve a = new FakeValve("node-a", 1000, "abc");
        FakeValve b = new FakeValve("node-b", 1000, "old", "old", "abc");
        assertTrue(Confirmation.await(List.of(a, b), "abc", 0, out));
        assertEquals("  applied:       node-a: full\n  applied:       node-b: full\n", out());
        assertEquals(3, b.refreshes, "asked again until it applied it");
    }

    @Test
    void aValveThatDoesNotApplyItWithinItsPollIntervalAndTheMarginIsReported() {
        FakeValve stuck = new FakeValve("node-b", 300, "old");
        long start = System.nanoTime();
        assertFalse(Confirmation.await(List.of(stuck), "abc", 200, out));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 500, "waited pollInterval + margin: " + waited + " ms");
        assertTrue(out().startsWith("  NOT CONFIRMED: node-b: after "), out());
        assertTrue(out().contains("applied old, written abc"), out());
    }

    @Test
    void aValveThatCannotBeAskedIsReported() {
        Confirmation.Valve broken = new FakeValve("node-c", 100, "x") {
            @Override
            public String refresh() throws Refused {
                throw new Refused("refresh failed at node-c: no such operation");
            }
        };
        assertFalse(Confirmation.await(List.of(broken), "abc", 0, out));
        assertTrue(out().contains("NOT CONFIRMED: node-c: refresh failed at node-c"), out());
    }
}
