package org.maintenancevalve.cli;

import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.state.FlagFileParser;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Times and durations as admins type them: {@code 90m}, {@code 2h}, {@code 1h30m}, ISO-8601. */
final class Times {

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Times() {
    }

    /**
     * @param text {@code 90m}, {@code 2h}, {@code 1h30m}, {@code 45s}, {@code 2d} or ISO-8601 {@code PT2H}
     */
    static Duration duration(String option, String text) throws UsageException {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(trimmed);
        if (!trimmed.isEmpty() && m.matches()) {
            Duration d = Duration.ofDays(number(m.group(1))).plusHours(number(m.group(2)))
                    .plusMinutes(number(m.group(3))).plusSeconds(number(m.group(4)));
            if (!d.isZero()) {
                return d;
            }
        }
        try {
            Duration d = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new UsageException(option + ": '" + text + "' is not a duration (like 90m, 2h, 1h30m)");
    }

    /**
     * @param text an ISO-8601 time ({@code 2026-11-25T03:00Z}, {@code 2026-11-25T04:00+01:00}), a
     *             local time without offset (this machine's time zone), or a duration from now ({@code 90m})
     */
    static Instant instant(String option, String text, Clock clock) throws UsageException {
        // Whole seconds: an admin never typed the nanoseconds, and they only clutter every output.
        return exactInstant(option, text, clock).truncatedTo(ChronoUnit.SECONDS);
    }

    private static Instant exactInstant(String option, String text, Clock clock) throws UsageException {
        String trimmed = text == null ? "" : text.trim();
        try {
            return FlagFileParser.parseInstant(trimmed);
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(trimmed).atZone(clock.getZone()).toInstant();
        } catch (DateTimeParseException e) {
            // try a duration
        }
        try {
            return clock.instant().plus(duration(option, trimmed));
        } catch (UsageException e) {
            throw new UsageException(option + ": '" + text + "' is neither a time (like YYYY-MM-DDT03:00Z) "
                    + "nor a duration from now (like 90m)");
        }
    }

    /** A duration as admins type it: {@code 1h30m}, {@code 45s}, {@code 2d3h}; {@code 0s} for nothing. */
    static String format(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        StringBuilder text = new StringBuilder();
        long[] units = {86_400, 3_600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (seconds >= units[i]) {
                text.append(seconds / units[i]).append(names[i]);
                seconds %= units[i];
            }
        }
        return text.length() == 0 ? "0s" : text.toString();
    }

    /** {@code in 90 min}, {@code 5 min ago}, {@code in 3 h 20 min}: how far {@code to} is from {@code from}. */
    static String relative(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        long minutes = Math.abs(d.toMinutes());
        String text = minutes < 1 ? "less than a minute"
                : minutes < 120 ? minutes + " min" : (minutes / 60) + " h " + (minutes % 60) + " min";
        return d.isNegative() ? text + " ago" : "in " + text;
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }
}
