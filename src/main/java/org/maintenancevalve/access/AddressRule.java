package org.maintenancevalve.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
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

    private final List<Block> blocks;

    private AddressRule(List<Block> blocks) {
        this.blocks = blocks;
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
        return blocks.isEmpty() ? NONE : new AddressRule(Collections.unmodifiableList(blocks));
    }

    /** This rule plus the entries of another (the flag file's addresses for one window). */
    public AddressRule plus(AddressRule other) {
        if (other.blocks.isEmpty()) {
            return this;
        }
        List<Block> merged = new ArrayList<>(blocks);
        merged.addAll(other.blocks);
        return new AddressRule(Collections.unmodifiableList(merged));
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /**
     * @param address a literal address as Tomcat reports it ({@code getRemoteAddr()})
     * @return whether it lies in one of the blocks; anything unparseable matches nothing
     */
    public boolean matches(String address) {
        if (blocks.isEmpty() || address == null) {
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

        private Block(String text, byte[] network, int prefix) {
            this.text = text;
            this.network = network;
            this.prefix = prefix;
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
