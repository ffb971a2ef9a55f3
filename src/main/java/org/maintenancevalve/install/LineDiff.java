package org.maintenancevalve.install;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff of two versions of a file that differ in one place (what an install or
 * uninstall edit does), for {@code --dry-run}. Line ends are not shown; CRLF files diff like LF.
 */
final class LineDiff {

    private static final int CONTEXT = 3;

    private LineDiff() {
    }

    static String unified(byte[] before, byte[] after, String oldName, String newName) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        if (prefix == a.size() && prefix == b.size()) {
            return "";
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        int from = Math.max(0, prefix - CONTEXT);
        int aEnd = Math.min(a.size(), a.size() - suffix + CONTEXT);
        int bEnd = Math.min(b.size(), b.size() - suffix + CONTEXT);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldName).append('\n');
        out.append("+++ ").append(newName).append('\n');
        out.append("@@ -").append(range(from, aEnd - from)).append(" +").append(range(from, bEnd - from)).append(" @@\n");
        for (int i = from; i < prefix; i++) {
            out.append(' ').append(a.get(i)).append('\n');
        }
        for (int i = prefix; i < a.size() - suffix; i++) {
            out.append('-').append(a.get(i)).append('\n');
        }
        for (int i = prefix; i < b.size() - suffix; i++) {
            out.append('+').append(b.get(i)).append('\n');
        }
        for (int i = a.size() - suffix; i < aEnd; i++) {
            out.append(' ').append(a.get(i)).append('\n');
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        return count == 0 ? start + ",0" : (start + 1) + "," + count;
    }

    private static List<String> lines(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            lines.set(i, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        // A final newline ends the last line; it does not start another, empty one.
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
