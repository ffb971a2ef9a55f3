package org.maintenancevalve.response;

import org.maintenancevalve.state.Mode;

import java.time.Instant;

/** The texts shown when the admin gave no message. */
public final class DefaultMessages {

    private DefaultMessages() {
    }

    /**
     * What a refused change is told in read-only mode (the JSON answer's first error message, which
     * Jira and Confluence show in their error flag): that it was not saved, and until when.
     *
     * @param until the announced end, or {@code null}
     */
    public static String readOnlyRefusal(Instant until) {
        return until == null
                ? "Your change was not saved: this site is read-only during maintenance. You can keep browsing;"
                        + " please try again when the maintenance is over."
                : "Your change was not saved: this site is read-only during maintenance until "
                        + PageSentences.of(PageLanguage.ENGLISH).utc(until) + ". You can keep browsing;"
                        + " please try again after that.";
    }

    public static String defaultMessage(Mode mode) {
        return mode == Mode.READ_ONLY
                ? "This site is read-only during maintenance: you can browse, but changes are paused."
                : "This site is down for planned maintenance. Please try again later.";
    }
}
