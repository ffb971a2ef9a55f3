package org.maintenancevalve.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
            ".1.2.3", "1.2.3.", "a.b.c.d", "::1", "1.2.3.4 ", "", "1.2.3.04"}) {
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
}
