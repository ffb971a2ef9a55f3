package org.maintenancevalve.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AddressRuleTest {

    private static final AddressRule RULE = AddressRule.of(List.of(
            "10.1.2.3", "192.168.0.0/24", "::1", "2001:db8::/32", "172.16.0.0/12", "0.0.0.0/32"));

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3, true", "10.1.2.30, false", "10.1.2.31, false", "10.1.2.4, false", "110.1.2.3, false",
        "192.168.0.0, true", "192.168.0.255, true", "192.168.1.0, false",
        "172.16.0.1, true", "172.31.255.255, true", "172.32.0.0, false", "172.15.255.255, false",
        "0:0:0:0:0:0:0:1, true", "::1, true", "::2, false", "[::1], true",
        "2001:db8::1, true", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true", "2001:db9::1, false",
        "::ffff:10.1.2.3, true", "fe80::1%eth0, false",
        "localhost, false", "10.1.2.3.nip.io, false", "'', false", "10.1.2, false", "010.001.002.003, false",
        "167838211, false", "0x0a010203, false"
    })
    void matchesParsedAddressesOnly(String address, boolean expected) {
        assertEquals(expected, RULE.matches(address), address);
    }

    @Test
    void theIpv4FastPathReadsExactlyTheDottedQuads() {
        assertEquals(0x0a010203L, AddressRule.ipv4("10.1.2.3"));
        assertEquals(0xffffffffL, AddressRule.ipv4("255.255.255.255"));
        assertEquals(0L, AddressRule.ipv4("0.0.0.0"));
        for (String notOne : new String[] {"010.1.2.3", "10.1.2", "10.1.2.3.4", "256.1.1.1", "1.2.3.1000", "1..2.3",
            ".1.2.3", "1.2.3.", "a.b.c.d", "::1", "1.2.3.4 ", "", "1.2.3.04", "10..2.3", "10.1.2..", "1.2.3.4.5", "10.1.2.", "1.2.3.256", "1.2.3456"}) {
            assertEquals(-1L, AddressRule.ipv4(notOne), notOne);
        }
    }

    @Test
    void nullAndEmptyMatchNothing() {
        assertFalse(RULE.matches(null));
        assertFalse(AddressRule.NONE.matches("10.1.2.3"));
        assertFalse(AddressRule.of(List.of(" ", "")).matches("10.1.2.3"));
    }

    @Test
    void zeroPrefixAllowsAllOfAFamily() {
        AddressRule any4 = AddressRule.of(List.of("0.0.0.0/0"));
        assertEquals(true, any4.matches("203.0.113.9"));
        assertFalse(any4.matches("::1"), "an IPv4 block never matches IPv6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/x", "host.example",
        "10.1.2", "256.1.1.1", "10.1.2.3/24/8", "fe80::1%eth0", "*", "10.0.0.*"})
    void refusesAnythingButLiteralAddressesAndBlocks(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressRule.of(List.of(entry)));
        assertEquals(true, e.getMessage().contains(entry), e.getMessage());
    }

    @Test
    void nothingReachesInetAddressSoNothingAsksTheNameService() throws IOException {
        // The parser is ours alone: not even a literal is handed to InetAddress, whose rules for
        // what counts as a literal (and what is looked up) are the JDK's to change.
        try (InputStream in = AddressRule.class.getResourceAsStream("AddressRule.class")) {
            String classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertFalse(classFile.contains("java/net/InetAddress"), "AddressRule uses InetAddress");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6::8", "::2:3:4:5:6:7:8",
        "1::8", "FFFF:ffff::", "fe80::abcd:1", "::1.2.3.4", "64:ff9b::1.2.3.4", "1:2:3:4:5:6:1.2.3.4",
        "0:0:0:0:0:0:0:1", "2001:0db8:0000:0000:0000:0000:0000:0001", "[2001:db8::1]",
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "1:2:3:4:5::1.2.3.4", "::0.0.0.0", "ABCD::1A"})
    void readsEveryIpv6LiteralAsTheJdkDoes(String text) throws IOException {
        String bare = text.startsWith("[") ? text.substring(1, text.length() - 1) : text;
        assertArrayEquals(InetAddress.getByName(bare).getAddress(), AddressRule.literal(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:10.1.2.3", "::ffff:a01:203", "0:0:0:0:0:ffff:10.1.2.3", "::FFFF:10.1.2.3"})
    void anIpv4MappedAddressIsItsIpv4Address(String text) {
        assertArrayEquals(new byte[] {10, 1, 2, 3}, AddressRule.literal(text), text);
        assertEquals(true, RULE.matches(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1:2", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::",
        ":1::2", "1::2:", "12345::", "g::1", "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "::01.2.3.4", "::ffff:1.2.3",
        "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4.", "0x0a.1.2.3", "\uff11.2.3.4", "\u0661::1", "1.2.3.4%eth0",
        "fe80::1%eth0", "fe80::1%2", "[::1", "::1]", "[]", "[10.1.2.3", " ::1", "::1 ", "", "::1\n",
        "1:2:3:4:5:6:7::8", "1::2:3:4:5:6:7:8", "1:2:3:4:5:6::1.2.3.4", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555"})
    void anythingButANumericLiteralIsNoAddress(String text) {
        assertNull(AddressRule.literal(text), text);
    }

    @Test
    void aZoneIdNeverMatchesEvenInsideAnAllowedBlock() {
        AddressRule linkLocal = AddressRule.of(List.of("fe80::/10"));
        assertTrue(linkLocal.matches("fe80::1"));
        assertFalse(linkLocal.matches("fe80::1%eth0"), "the entry cannot say which interface");
        assertFalse(linkLocal.matches("fe80:0:0:0:0:0:0:1%2"));
    }

    @Test
    void anIpv4MappedBlockCountsIpv6Bits() {
        AddressRule mapped = AddressRule.of(List.of("::ffff:10.0.0.0/104"));
        assertTrue(mapped.matches("10.200.0.1"));
        assertFalse(mapped.matches("11.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> AddressRule.of(List.of("::ffff:10.0.0.0/95")));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "127.1.2.3/32, true", "127.0.0.0/8, true", "0.0.0.0/0, true", "64.0.0.0/2, true",
        "::1, true", "::/0, true", "::ffff:127.0.0.1, true", "[::1], true", "128.0.0.0/1, false", "10.0.0.0/8, false",
        "::2, false", "2001:db8::/32, false", "126.255.255.255, false"})
    void knowsWhenALoopbackAddressPasses(String entry, boolean loopback) {
        assertEquals(loopback, AddressRule.of(List.of(entry)).holdsLoopback(), entry);
    }
}
