package org.maintenancevalve.mail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM's one switch of incoming mail, {@code atlassian.mail.fetchdisabled}, shared by every
 * valve in the JVM: Engine, Host and Context level, several contexts, even two copies of the jar in
 * different class loaders. Each valve that wants mail paused adds itself as a holder; the first
 * holder sets the property to {@code true} and remembers what was there; the last one to let go
 * puts that back. A value that was {@code true} before (an admin's {@code -D} in setenv.sh) is
 * never changed, and a value someone changed during the window is left as they set it.
 * <p>
 * The bookkeeping lives in the system properties themselves (two more keys, JDK types only), and
 * every change holds the monitor of {@link System#getProperties()}: the one object all copies of
 * this class see, so no copy can change the property between another's look and change (on Java 8
 * {@code System.setProperty} takes the same monitor; on later Javas other writers do not, which is
 * why a value someone else changed during the window is left as they set it). Nothing here
 * outlives the JVM: after a crash there is nothing to undo.
 */
final class FetchDisabledSwitch {

    /** What Jira's mail handlers and Confluence's mail archive check at each poll. */
    static final String FETCH_DISABLED = "atlassian.mail.fetchdisabled";

    /** The switch of this JVM. */
    static final FetchDisabledSwitch JVM = new FetchDisabledSwitch(FETCH_DISABLED,
            "org.maintenancevalve.mail.pausedBy", "org.maintenancevalve.mail.valueBefore");

    /** Recorded for a property that was not set before the first holder. */
    private static final String UNSET = "unset";
    /** Prefix of a recorded value: {@code =<value>}. */
    private static final String VALUE = "=";
    private static final String PAUSED = "true";

    /** What happened to the property. */
    enum Change {
        /** This holder set it to {@code true}. */
        SET,
        /** It was {@code true} before any holder: left as it is. */
        WAS_TRUE,
        /** Another holder already holds it: nothing changed. */
        JOINED,
        /** This holder held it already: nothing changed. */
        ALREADY_HELD,
        /** The last holder let go: the value from before was put back. */
        RESTORED,
        /** The last holder let go; it was {@code true} before: left as it is. */
        STAYS_TRUE,
        /** Other holders still hold it: nothing changed. */
        STILL_HELD,
        /** The last holder let go, but someone changed the value meanwhile: left as they set it. */
        CHANGED_MEANWHILE,
        /** The last holder let go, but the value from before was not on record (someone removed it): left as it is. */
        BEFORE_LOST,
        /** This holder did not hold it: nothing changed. */
        NOT_HELD
    }

    /** The outcome of one call: what changed, the value before the first holder, and the value now. */
    static final class Outcome {
        final Change change;
        /** The value before the first holder ({@code null}: not set); meaningful when known. */
        final String before;
        /** The value now ({@code null}: not set). */
        final String now;

        Outcome(Change change, String before, String now) {
            this.change = change;
            this.before = before;
            this.now = now;
        }
    }

    /** The property's value and the holders at one moment. */
    static final class Look {
        final String value;
        final List<String> holders;
        /** The value before the first holder ({@code null}: not set, or no holder). */
        final String before;

        Look(String value, List<String> holders, String before) {
            this.value = value;
            this.holders = holders;
            this.before = before;
        }

        /** Whether incoming mail is paused: the property reads {@code true}, as {@code Boolean.getBoolean} reads it. */
        boolean paused() {
            return PAUSED.equalsIgnoreCase(value);
        }
    }

    private final String property;
    private final String holdersKey;
    private final String beforeKey;

    FetchDisabledSwitch(String property, String holdersKey, String beforeKey) {
        this.property = property;
        this.holdersKey = holdersKey;
        this.beforeKey = beforeKey;
    }

    /** The property this switch sets. */
    String property() {
        return property;
    }

    /** Adds {@code holder}; the first holder sets the property to {@code true} unless it already is. */
    Outcome hold(String holder) {
        Properties system = System.getProperties();
        synchronized (system) {
            List<String> holders = holders(system);
            String value = system.getProperty(property);
            if (holders.contains(holder)) {
                return new Outcome(Change.ALREADY_HELD, before(system), value);
            }
            Change change;
            String before;
            if (holders.isEmpty()) {
                before = value;
                system.setProperty(beforeKey, value == null ? UNSET : VALUE + value);
                if (PAUSED.equalsIgnoreCase(value)) {
                    change = Change.WAS_TRUE;
                } else {
                    system.setProperty(property, PAUSED);
                    change = Change.SET;
                }
            } else {
                before = before(system);
                change = Change.JOINED;
            }
            holders.add(holder);
            system.setProperty(holdersKey, String.join(",", holders));
            return new Outcome(change, before, system.getProperty(property));
        }
    }

    /** Removes {@code holder}; the last holder puts back the value from before the first. */
    Outcome release(String holder) {
        Properties system = System.getProperties();
        synchronized (system) {
            List<String> holders = holders(system);
            String value = system.getProperty(property);
            String recorded = system.getProperty(beforeKey);
            String before = decode(recorded);
            if (!holders.remove(holder)) {
                return new Outcome(Change.NOT_HELD, before, value);
            }
            if (!holders.isEmpty()) {
                system.setProperty(holdersKey, String.join(",", holders));
                return new Outcome(Change.STILL_HELD, before, value);
            }
            system.remove(holdersKey);
            system.remove(beforeKey);
            Change change;
            if (recorded == null || !(recorded.equals(UNSET) || recorded.startsWith(VALUE))) {
                change = Change.BEFORE_LOST;
            } else if (PAUSED.equalsIgnoreCase(before)) {
                change = Change.STAYS_TRUE;
            } else if (!PAUSED.equals(value)) {
                change = Change.CHANGED_MEANWHILE;
            } else {
                if (before == null) {
                    system.remove(property);
                } else {
                    system.setProperty(property, before);
                }
                change = Change.RESTORED;
            }
            return new Outcome(change, before, system.getProperty(property));
        }
    }

    /** The property and its holders now. */
    Look look() {
        Properties system = System.getProperties();
        synchronized (system) {
            return new Look(system.getProperty(property), holders(system), before(system));
        }
    }

    private List<String> holders(Properties system) {
        String text = system.getProperty(holdersKey);
        List<String> holders = new ArrayList<>();
        if (text != null) {
            for (String holder : Arrays.asList(text.split(","))) {
                if (!holder.isEmpty()) {
                    holders.add(holder);
                }
            }
        }
        return holders;
    }

    private String before(Properties system) {
        return decode(system.getProperty(beforeKey));
    }

    private static String decode(String recorded) {
        return recorded != null && recorded.startsWith(VALUE) ? recorded.substring(VALUE.length()) : null;
    }
}
