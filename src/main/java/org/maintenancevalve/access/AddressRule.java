package org.maintenancevalve.access;

import org.maintenancevalve.state.AuditLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A list of IPv4/IPv6 addresses and CIDR blocks, matched on parsed addresses (never on strings:
 * {@code 10.0.0.1} does not match {@code 10.0.0.15}). Entries and client addresses are parsed here
 * as numeric literals only, never by {@code InetAddress}, so nothing here ever asks the name
 * service. (Tomcat's {@code NetMask} would resolve host names, hence this class.)
 */
public final class AddressRule {

    /** Allows nobody. */
    public static final AddressRule NONE = new AddressRule(Collections.<Block>emptyList());

    private static final byte[] IPV6_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    /** An array, not a list: the request path loops over it without an iterator. */
    private final Block[] blocks;

    private AddressRule(List<Block> blocks) {
        this.blocks = blocks.toArray(new Block[0]);
    }

    /**
     * @param entries addresses or CIDR blocks, e.g. {@code 10.1.2.3}, {@code 192.168.0.0/24}, {@code ::1}
     * @throws IllegalArgumentException naming the first entry that is not one
     */
    public static AddressRule of(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                blocks.add(Block.parse(trimmed));
            }
        }
        return blocks.isEmpty() ? NONE : new AddressRule(blocks);
    }

    /** This rule plus the entries of another (the flag file's addresses for one window). */
    public AddressRule plus(AddressRule other) {
        if (other.blocks.length == 0) {
            return this;
        }
        List<Block> merged = new ArrayList<>(Arrays.asList(blocks));
        merged.addAll(Arrays.asList(other.blocks));
        return new AddressRule(merged);
    }

    public boolean isEmpty() {
        return blocks.length == 0;
    }

    /**
     * Whether a loopback address passes: then a proxy on the same host that sends no forwarding
     * header would let everyone in.
     */
    public boolean holdsLoopback() {
        for (Block block : blocks) {
            if (block.holdsLoopback()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param address a literal address as Tomcat reports it ({@code getRemoteAddr()})
     * @return whether it lies in one of the blocks; anything unparseable matches nothing
     */
    public boolean matches(String address) {
        if (blocks.length == 0 || address == null) {
            return false;
        }
        long v4 = ipv4(address);
        if (v4 >= 0) {
            // The common case, a dotted quad as Tomcat reports it: no allocation.
            for (Block block : blocks) {
                if (block.containsIpv4((int) v4)) {
                    return true;
                }
            }
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> texts = new ArrayList<>();
        for (Block block : blocks) {
            texts.add(block.text);
        }
        return String.join(", ", texts);
    }

    /**
     * A dotted-quad IPv4 literal as an unsigned 32-bit value, or -1 if {@code text} is not exactly
     * one: four decimal octets 0-255, no leading zeros (which some parsers read as octal).
     */
    static long ipv4(String text) {
        int n = text.length();
        if (n < 7 || n > 15) {
            return -1;
        }
        long value = 0;
        int octet = 0;
        int digits = 0;
        int dots = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 3 || (digits == 1 && octet == 0)) {
                    return -1; // four digits, or a leading zero
                }
                octet = octet * 10 + (c - '0');
                digits++;
            } else if (c == '.' && digits > 0 && dots < 3) {
                if (octet > 255) {
                    return -1;
                }
                value = (value << 8) | octet;
                octet = 0;
                digits = 0;
                dots++;
            } else {
                return -1;
            }
        }
        if (dots != 3 || digits == 0 || octet > 255) {
            return -1;
        }
        return (value << 8) | octet;
    }

    /**
     * The address bytes of a numeric IPv4 or IPv6 literal, or {@code null} if {@code text} is not
     * exactly one. Parsed here, by hand, so no text ever reaches {@code InetAddress} and its name
     * service. An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) gives its IPv4 address, as the
     * JDK reports such a client. An address with a zone id ({@code fe80::1%eth0}) gives
     * {@code null}: link-local addresses on different interfaces are different hosts, and an
     * allow entry cannot name the interface.
     */
    static byte[] literal(String text) {
        String address = text;
        if (address.length() > 2 && address.charAt(0) == '[' && address.charAt(address.length() - 1) == ']') {
            address = address.substring(1, address.length() - 1);
        }
        long v4 = ipv4(address);
        if (v4 >= 0) {
            return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
        }
        byte[] v6 = ipv6(address);
        if (v6 != null && isIpv4Mapped(v6)) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        return v6;
    }

    /** {@code ::ffff:a.b.c.d}: the first 80 bits zero, the next 16 one. */
    static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    /**
     * An IPv6 literal (RFC 4291 section 2.2: eight groups of one to four hexadecimal digits, at most
     * one {@code ::}, optionally a dotted quad for the last 32 bits) as 16 bytes, or {@code null}.
     */
    static byte[] ipv6(String text) {
        int n = text.length();
        if (n < 2 || n > 45) {
            return null;
        }
        int gap = text.indexOf("::");
        int[] head = new int[8];
        int[] tail = new int[8];
        int headCount;
        int tailCount = 0;
        if (gap < 0) {
            headCount = groups(text, 0, n, head, true);
            if (headCount != 8) {
                return null;
            }
        } else {
            if (text.indexOf("::", gap + 1) >= 0) {
                return null; // a second "::", or ":::"
            }
            headCount = groups(text, 0, gap, head, false);
            tailCount = groups(text, gap + 2, n, tail, true);
            if (headCount < 0 || tailCount < 0 || headCount + tailCount > 7) {
                return null;
            }
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < headCount; i++) {
            bytes[2 * i] = (byte) (head[i] >>> 8);
            bytes[2 * i + 1] = (byte) head[i];
        }
        for (int i = 0; i < tailCount; i++) {
            int at = 8 - tailCount + i;
            bytes[2 * at] = (byte) (tail[i] >>> 8);
            bytes[2 * at + 1] = (byte) tail[i];
        }
        return bytes;
    }

    /**
     * Reads the colon-separated 16-bit groups of {@code text[from, to)} into {@code out}.
     *
     * @param last whether this part ends the address (only there may a dotted quad stand for two groups)
     * @return how many groups, or -1 if the part is not groups of 1-4 ASCII hex digits
     */
    private static int groups(String text, int from, int to, int[] out, boolean last) {
        if (from == to) {
            return 0;
        }
        int count = 0;
        int start = from;
        while (true) {
            int end = start;
            while (end < to && text.charAt(end) != ':') {
                end++;
            }
            if (end == start) {
                return -1; // an empty group: a stray ':'
            }
            if (last && end == to && text.indexOf('.', start) >= 0) {
                long v4 = ipv4(text.substring(start, to));
                if (v4 < 0 || count + 2 > 8) {
                    return -1;
                }
                out[count++] = (int) (v4 >>> 16);
                out[count++] = (int) (v4 & 0xffff);
                return count;
            }
            if (end - start > 4 || count == 8) {
                return -1;
            }
            int value = 0;
            for (int i = start; i < end; i++) {
                int digit = HexDigit.valueOf(text.charAt(i));
                if (digit < 0) {
                    return -1;
                }
                value = (value << 4) | digit;
            }
            out[count++] = value;
            if (end == to) {
                return count;
            }
            start = end + 1;
        }
    }

    private static final class Block {
        final String text;
        final byte[] network;
        final int prefix;

        /** For an IPv4 block: the network and the mask as 32-bit values. */
        private final int network4;
        private final int mask4;

        private Block(String text, byte[] network, int prefix) {
            this.text = text;
            this.network = network;
            this.prefix = prefix;
            if (network.length == 4) {
                this.mask4 = prefix == 0 ? 0 : -1 << (32 - prefix);
                this.network4 = ((network[0] & 0xff) << 24) | ((network[1] & 0xff) << 16)
                        | ((network[2] & 0xff) << 8) | (network[3] & 0xff);
            } else {
                this.mask4 = 0;
                this.network4 = 0;
            }
        }

        boolean containsIpv4(int address) {
            return network.length == 4 && (address & mask4) == network4;
        }

        static Block parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            byte[] bytes = literal(address);
            if (bytes == null) {
                throw new IllegalArgumentException(AuditLine.quote(text) + " is not an IP address or CIDR block");
            }
            int bits = bytes.length * 8;
            // An IPv4-mapped entry's prefix counts IPv6 bits: ::ffff:10.0.0.0/104 is 10.0.0.0/8.
            int offset = bytes.length == 4 && address.indexOf(':') >= 0 ? 96 : 0;
            int prefix = bits;
            if (slash >= 0) {
                String length = text.substring(slash + 1);
                prefix = length.matches("[0-9]{1,3}") ? Integer.parseInt(length) - offset : -1;
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException(AuditLine.quote(text) + " has a prefix length outside "
                            + offset + "-" + (offset + bits));
                }
            }
            return new Block(text, mask(bytes, prefix), prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < address.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                if (keep == 0) {
                    return true;
                }
                if ((address[i] & (0xff << (8 - keep)) & 0xff) != (network[i] & 0xff)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether a loopback address (127.0.0.0/8, ::1) lies in this block. */
        boolean holdsLoopback() {
            if (network.length == 4) {
                int shorter = Math.min(prefix, 8);
                int mask = shorter == 0 ? 0 : -1 << (32 - shorter);
                return (network4 & mask) == (0x7f000000 & mask);
            }
            return contains(IPV6_LOOPBACK);
        }

        private static byte[] mask(byte[] address, int prefix) {
            byte[] masked = address.clone();
            for (int i = 0; i < masked.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                masked[i] = (byte) (masked[i] & (0xff << (8 - keep)));
            }
            return masked;
        }
    }
}
