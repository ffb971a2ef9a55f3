package org.maintenancevalve.gate;

import org.maintenancevalve.access.AccessPolicy;
import org.maintenancevalve.response.MaintenanceAnswer;
import org.maintenancevalve.state.MaintenanceState;

/**
 * Everything a request needs to know, published as one immutable object through a volatile
 * field: the state in force, who may pass, and the pre-rendered answer for everybody else.
 */
public final class Gate {

    /** No maintenance: every request passes untouched. */
    static final Gate OPEN = new Gate(MaintenanceState.OFF, null, null);

    private final MaintenanceState state;
    private final AccessPolicy policy;
    private final MaintenanceAnswer answer;

    Gate(MaintenanceState state, AccessPolicy policy, MaintenanceAnswer answer) {
        this.state = state;
        this.policy = policy;
        this.answer = answer;
    }

    /** Whether every request passes untouched (no maintenance in force). */
    public boolean isOpen() {
        return answer == null;
    }

    /** The state in force. */
    public MaintenanceState state() {
        return state;
    }

    /** Who may pass; {@code null} while open. */
    public AccessPolicy policy() {
        return policy;
    }

    /** What everybody else gets; {@code null} while open. */
    public MaintenanceAnswer answer() {
        return answer;
    }
}
