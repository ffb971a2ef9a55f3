package org.maintenancevalve.mail;

import org.maintenancevalve.state.AuditLine;
import org.maintenancevalve.state.MaintenanceState;

import java.util.UUID;

/**
 * One valve's part in pausing incoming mail: while a window it is configured for is in force, it
 * holds the JVM's {@link FetchDisabledSwitch}; when the window ends, or the valve stops, it lets
 * go. Called on state changes only (the watcher thread, JMX), never on a request. Every answer is
 * a phrase for the valve's audit line and JMX, after "incoming mail".
 */
public final class MailPause {

    /** The JVM system property the products check at each mail poll. */
    public static final String PROPERTY = FetchDisabledSwitch.FETCH_DISABLED;

    private final PauseIncomingMail configured;
    private final PauseIncomingMail policy;
    private final FetchDisabledSwitch jvmSwitch;
    /** This valve's name among the holders: new for every start. */
    private final String holder = UUID.randomUUID().toString();

    // Guarded by this.
    private boolean held;
    private boolean ended;

    MailPause(PauseIncomingMail configured, boolean productPreset, FetchDisabledSwitch jvmSwitch) {
        this.configured = configured;
        this.policy = configured.resolve(productPreset);
        this.jvmSwitch = jvmSwitch;
    }

    /**
     * A valve's mail pause, on the JVM's {@code atlassian.mail.fetchdisabled}.
     *
     * @param configured    its {@code pauseIncomingMail}
     * @param productPreset whether it has a product's preset ({@code auto} pauses then)
     */
    public static MailPause forValve(PauseIncomingMail configured, boolean productPreset) {
        return new MailPause(configured, productPreset, FetchDisabledSwitch.JVM);
    }

    /** The {@code pauseIncomingMail} value as configured. */
    public PauseIncomingMail configured() {
        return configured;
    }

    /** In which windows this valve pauses mail, in words, for its start line. */
    public String policyText() {
        switch (policy) {
            case FULL_AND_READ_ONLY:
                return "paused in full and read-only windows";
            case FULL:
                return "paused in full windows";
            default:
                return "not paused by windows (" + why() + ")";
        }
    }

    /**
     * Follows the state in force: holds the switch while this valve's windows pause mail, lets go
     * otherwise. After {@link #end()} it does nothing.
     *
     * @return what became of incoming mail, for the audit line; {@code null} when there is nothing
     *         to say (no window in force and none held, or a valve that never pauses mail and mail
     *         is not paused)
     */
    public synchronized String follow(MaintenanceState state) {
        if (ended) {
            return null;
        }
        boolean wanted = policy.pausesIn(state);
        if (wanted) {
            FetchDisabledSwitch.Outcome outcome = jvmSwitch.hold(holder);
            held = true;
            return held(outcome);
        }
        if (held) {
            held = false;
            return released(jvmSwitch.release(holder));
        }
        if (!state.isActive()) {
            return null;
        }
        FetchDisabledSwitch.Look look = jvmSwitch.look();
        if (look.paused()) {
            return "paused, not by this valve (" + why() + "): " + property(look.value);
        }
        // A valve that never pauses mail (no preset, or off) says so once, in its start line.
        return policy == PauseIncomingMail.OFF ? null : "not paused (" + why() + ")";
    }

    /**
     * Lets go for good (the valve stops): puts back what was there if this valve was the last holder.
     *
     * @return what became of incoming mail; {@code null} when this valve held nothing
     */
    public synchronized String end() {
        ended = true;
        if (!held) {
            return null;
        }
        held = false;
        return released(jvmSwitch.release(holder));
    }

    /** Whether incoming mail is paused in this JVM now ({@code atlassian.mail.fetchdisabled} reads true). */
    public boolean isPaused() {
        return jvmSwitch.look().paused();
    }

    /** Whether this valve holds the pause now. */
    public synchronized boolean isHeld() {
        return held;
    }

    /** Where incoming mail stands now, in words, for JMX and {@code status}. */
    public synchronized String describe(MaintenanceState state) {
        FetchDisabledSwitch.Look look = jvmSwitch.look();
        if (held) {
            if (!look.paused()) {
                return "fetched: " + property(look.value) + " was changed during this valve's window";
            }
            return "paused by this valve's window" + ("true".equalsIgnoreCase(look.before)
                    ? " (" + PROPERTY + "=true was set before it, and stays)" : "");
        }
        if (look.paused()) {
            return look.holders.isEmpty() ? "paused, not by a valve: " + property(look.value)
                    : "paused by another valve's window in this JVM";
        }
        return state.isActive() ? "fetched (" + why() + ")" : "fetched";
    }

    private String held(FetchDisabledSwitch.Outcome outcome) {
        switch (outcome.change) {
            case SET:
                return "paused (" + PROPERTY + "=true; before the window " + before(outcome.before) + ")";
            case WAS_TRUE:
                return "paused already: " + PROPERTY + "=true was set before the window, and stays";
            case JOINED:
                return "paused (" + property(outcome.now) + ", set by another valve's window in this JVM)";
            default:
                return "paused (" + property(outcome.now) + ")";
        }
    }

    private static String released(FetchDisabledSwitch.Outcome outcome) {
        switch (outcome.change) {
            case RESTORED:
                return "fetched again (" + PROPERTY + " " + (outcome.before == null ? "removed" : "set back to "
                        + AuditLine.quote(outcome.before)) + ", as before the window)";
            case STAYS_TRUE:
                return "still paused: " + PROPERTY + "=true was set before the window, and stays";
            case STILL_HELD:
                return "still paused: another valve's window in this JVM holds it";
            case CHANGED_MEANWHILE:
                return "left as it is: " + property(outcome.now) + " was changed during the window";
            case BEFORE_LOST:
                return "left as it is (" + property(outcome.now) + "): the value from before the window was lost";
            default:
                return property(outcome.now);
        }
    }

    /** Why this valve does not pause mail now. */
    private String why() {
        if (configured == PauseIncomingMail.AUTO && policy == PauseIncomingMail.OFF) {
            return "pauseIncomingMail=auto without a preset";
        }
        if (policy == PauseIncomingMail.FULL) {
            return "pauseIncomingMail=full: full windows only";
        }
        return "pauseIncomingMail=" + configured.text();
    }

    /** {@code atlassian.mail.fetchdisabled=true}; any other value quoted, as every logged value is. */
    private static String property(String value) {
        return value == null ? PROPERTY + " not set" : PROPERTY + "=" + ("true".equals(value) ? value : AuditLine.quote(value));
    }

    private static String before(String value) {
        return value == null ? "not set" : AuditLine.quote(value);
    }
}
