package org.maintenancevalve.state;

import java.nio.file.Path;

/** The one INFO line written for every change of the state in force. */
public final class AuditLine {

    private AuditLine() {
    }

    /**
     * @return e.g. {@code Maintenance ON [source=JMX]: mode off -> full, message="...", until=..., by=..., flag=/x}
     */
    public static String describe(MaintenanceState previous, MaintenanceState current, String source, Path flagFile) {
        return describe(previous, current, source, flagFile, null);
    }

    /**
     * @param incomingMail what became of incoming mail (the mail pause's phrase, e.g. {@code paused
     *                     (atlassian.mail.fetchdisabled=true; ...)}), or {@code null} for nothing to say
     * @return the line of {@link #describe(MaintenanceState, MaintenanceState, String, Path)}, then
     *         {@code ; incoming mail <what became of it>}
     */
    public static String describe(MaintenanceState previous, MaintenanceState current, String source, Path flagFile,
            String incomingMail) {
        String verb;
        if (current.isActive() && !previous.isActive()) {
            verb = "ON";
        } else if (!current.isActive() && previous.isActive()) {
            verb = current.phase() == MaintenanceState.Phase.SCHEDULED ? "OFF (rescheduled)" : "OFF";
        } else if (current.phase() == MaintenanceState.Phase.SCHEDULED && previous.phase() != MaintenanceState.Phase.SCHEDULED) {
            verb = "SCHEDULED";
        } else {
            verb = "CHANGED";
        }
        StringBuilder line = new StringBuilder(160).append("Maintenance ").append(verb)
                .append(" [source=").append(source).append("]: mode ").append(previous.modeText())
                .append(" -> ").append(current.modeText());
        FlagSettings settings = current.settings() != null ? current.settings() : null;
        if (settings != null) {
            line.append(", message=").append(settings.message() == null ? "(default)" : quote(settings.message()));
            if (settings.from() != null) {
                line.append(", from=").append(settings.from());
            }
            line.append(", until=").append(settings.until() == null ? "(none)" : settings.until().toString());
            if (current.isOverdue()) {
                line.append(" (passed, still on)");
            }
            if (settings.autoEnd()) {
                // Said in words: a window that ends by itself must never surprise the admin who extended it.
                line.append(", autoEnd=true").append(settings.until() == null ? ""
                        : " (ends by itself at " + settings.until() + ")");
            }
            if (settings.by() != null) {
                line.append(", by=").append(quote(settings.by()));
            }
        }
        line.append(", flag=").append(flagFile);
        if (incomingMail != null) {
            line.append("; incoming mail ").append(incomingMail);
        }
        return line.toString();
    }

    /**
     * Quotes a text for one log line or one line on a terminal: no line breaks or control
     * characters (an ANSI escape sequence, say) get through. The one helper for every value from a
     * file, JMX or a request that is written to a log or a terminal.
     *
     * @return the text in double quotes, {@code "} and {@code \} escaped, control characters as
     *         {@code \n}, {@code \r} or {@code \}{@code uXXXX}; {@code null} as {@code null}
     */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
