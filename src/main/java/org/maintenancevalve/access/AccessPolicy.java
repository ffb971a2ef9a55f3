package org.maintenancevalve.access;

import org.maintenancevalve.state.Mode;

/**
 * Decides whether a request may pass while maintenance is in force. Immutable: a new policy is
 * built whenever the configuration or the flag file changes.
 */
public final class AccessPolicy {

    /** The ways through; each is counted on its own. */
    public enum Way {
        /** A reading request (GET, HEAD, OPTIONS) in read-only mode. */
        READ_ONLY
    }

    private final Mode mode;

    public AccessPolicy(Mode mode) {
        this.mode = mode;
    }

    /**
     * @return the way the request is admitted by, or {@code null} when it must be blocked
     */
    public Way admit(RequestFacts request) {
        if (mode == Mode.READ_ONLY && isReading(request.method())) {
            return Way.READ_ONLY;
        }
        return null;
    }

    /** Methods that do not change anything, by HTTP's definition (RFC 9110, safe methods less TRACE). */
    static boolean isReading(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }
}
