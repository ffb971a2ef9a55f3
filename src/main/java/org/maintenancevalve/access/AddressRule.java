package org.maintenancevalve.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of IPv4/IPv6 addresses and CIDR blocks, matched on parsed addresses (never on strings:
 * {@code 10.0.0.1} does not match {@code 10.0.0.15}). Only literal addresses are accepted, so
 * nothing here ever asks DNS. (Tomcat's {@code NetMask} would resolve host names, hence this class.)
 */
public final class AddressRule {

    /** Allows nobody. */
    public static final AddressRule NONE = new AddressRule(Collections.<Block>emptyList());

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

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
     * @param address a literal address as Tomcat reports it ({@code getRemoteAddr()})
     * @return whether it lies in one of the blocks; anything unparseable matches nothing
     */
    public boolean matches(String address) {
        if (blocks.length == 0 || address == null) {
            return false;
        }
        long v4 = ipv4(address);
        if (v4 >= 0) {
            // The common case, a dotted quad as Tomcat reports it: no regex, no InetAddress, no allocation.
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
     * one (the same strings the IPV4 pattern accepts: four decimal octets 0-255, no leading zeros).
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

    /** The address bytes of a literal IPv4 or IPv6 address, or {@code null} if it is not one. */
    static byte[] literal(String text) {
        String address = text;
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            return null;
        }
        try {
            // A literal never triggers a lookup; IPv4-mapped IPv6 comes back as IPv4.
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
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
            if (bytes == null || address.contains("%")) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR block");
            }
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = text.substring(slash + 1);
                if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                    throw new IllegalArgumentException("\"" + text + "\" has a prefix length outside 0-" + bits);
                }
                prefix = Integer.parseInt(length);
            }
            return new Block(text, mask(bytes, prefix), prefix);
        }

        boolean contains(byte[] address) {
            return address.length == network.length && java.util.Arrays.equals(mask(address, prefix), network);
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
