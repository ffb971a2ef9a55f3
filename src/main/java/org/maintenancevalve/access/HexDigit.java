package org.maintenancevalve.access;

/** The value of an ASCII hexadecimal digit: never another script's digits, as {@link Character#digit} would take. */
final class HexDigit {

    private HexDigit() {
    }

    /** @return the digit's value, or -1 when {@code c} is not one of {@code 0-9 a-f A-F} */
    static int valueOf(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
