package org.maintenancevalve.fuzz;

import org.junit.jupiter.api.Test;
import org.maintenancevalve.access.AddressRule;
import org.maintenancevalve.access.PathRule;
import org.maintenancevalve.state.FlagFileParser;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.Mode;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of random inputs (seeded, so a failure can be replayed) for the flag parser and the
 * two matchers: no exception escapes, and the matchers agree with simple reference models.
 */
class RandomisedInputTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261124L);
    private static final int ROUNDS = 5_000;

    @Test
    void theFlagParserNeverThrowsAndAnythingNotCleanFailsClosed() {
        Random random = new Random(SEED);
        String[] fragments = {"{", "}", "[", "]", "\"mode\"", "\"read-only\"", "\"full\"", "\"message\"", ":", ",",
            "\"until\"", "\"2026-11-25T03:00:00Z\"", "\"from\"", "null", "true", "1e999", "-0", "\"\\u0000\"",
            "\"\\ud800\"", "\"allow\"", "\"bypassSecret\"", "\uFEFF", " ", "\n", "\"x\"", "\"autoEnd\""};
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input;
            if (random.nextBoolean()) {
                input = new byte[random.nextInt(200)];
                random.nextBytes(input);
            } else {
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(20); i > 0; i--) {
                    text.append(fragments[random.nextInt(fragments.length)]);
                }
                input = text.toString().getBytes(StandardCharsets.UTF_8);
            }
            FlagSettings settings = FlagFileParser.parse(input, Clock.systemUTC());
            assertNotNull(settings, "round " + round);
            if (settings.problem() != null) {
                assertEquals(Mode.FULL, settings.mode(), "fail closed, round " + round);
                assertEquals(null, settings.bypassSecret(), "a broken file opens no bypass, round " + round);
                assertTrue(settings.allow().isEmpty(), "a broken file allows nobody, round " + round);
            }
        }
    }

    @Test
    void theAddressMatcherAgreesWithABigIntegerModel() throws Exception {
        Random random = new Random(SEED);
        for (int round = 0; round < ROUNDS; round++) {
            boolean v6 = random.nextInt(4) == 0;
            byte[] network = randomAddress(random, v6);
            int bits = network.length * 8;
            int prefix = random.nextInt(bits + 1);
            String block = InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            AddressRule rule = AddressRule.of(List.of(block));
            for (int probe = 0; probe < 5; probe++) {
                byte[] address = random.nextInt(3) == 0 ? near(network, random) : randomAddress(random, random.nextInt(4) == 0);
                String text = InetAddress.getByAddress(address).getHostAddress();
                boolean expected = address.length == network.length
                        && new BigInteger(1, address).shiftRight(bits - prefix).equals(new BigInteger(1, network).shiftRight(bits - prefix));
                assertEquals(expected, rule.matches(text), block + " vs " + text + " (round " + round + ")");
            }
            // Random text never throws and never matches unless it is an address.
            String junk = randomText(random);
            rule.matches(junk);
        }
    }

    @Test
    void thePathMatcherAgreesWithASegmentModel() {
        Random random = new Random(SEED);
        String[] segments = {"s", "status", "login.jsp", "rest", "auth", "1", "session", "x.css", "S", "", "..", ".", "a b", "é"};
        for (int round = 0; round < ROUNDS; round++) {
            List<String> entries = new ArrayList<>();
            for (int i = random.nextInt(4); i >= 0; i--) {
                String path = randomPath(random, segments, false);
                String entry = random.nextBoolean() && !path.endsWith("/") ? path + "/" : path;
                if (!entry.contains("/./") && !entry.contains("/../") && !entry.endsWith("/.") && !entry.endsWith("/..")
                        && !entry.contains("//")) {
                    entries.add(entry);
                }
            }
            PathRule rule = PathRule.of(entries);
            for (int probe = 0; probe < 5; probe++) {
                String path = randomPath(random, segments, true);
                boolean expected = false;
                for (String entry : entries) {
                    expected |= entry.endsWith("/") && entry.length() > 1 ? path.startsWith(entry) : path.equals(entry);
                }
                assertEquals(expected, rule.matches(path), entries + " vs " + path + " (round " + round + ")");
            }
        }
    }

    private static String randomPath(Random random, String[] segments, boolean maybeTrailingSlash) {
        StringBuilder path = new StringBuilder();
        for (int i = random.nextInt(4); i >= 0; i--) {
            path.append('/').append(segments[random.nextInt(segments.length)]);
        }
        if (maybeTrailingSlash && random.nextBoolean()) {
            path.append('/');
        }
        return path.toString();
    }

    private static byte[] randomAddress(Random random, boolean v6) {
        byte[] address = new byte[v6 ? 16 : 4];
        random.nextBytes(address);
        return address;
    }

    private static byte[] near(byte[] address, Random random) {
        byte[] copy = address.clone();
        int bit = random.nextInt(copy.length * 8);
        copy[bit / 8] ^= (byte) (1 << (7 - bit % 8));
        return copy;
    }

    private static String randomText(Random random) {
        String alphabet = "0123456789abcdef.:/%[]x ";
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(30); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
