package org.maintenancevalve;

import org.maintenancevalve.access.AccessPolicy;
import org.maintenancevalve.response.MaintenanceAnswer;
import org.maintenancevalve.state.MaintenanceState;

/**
 * Everything a request needs to know, published as one immutable object through a volatile
 * field: the state in force, who may pass, and the pre-rendered answer for everybody else.
 */
final class Gate {

    /** No maintenance: every request passes untouched. */
    static final Gate OPEN = new Gate(MaintenanceState.OFF, null, null);

    final MaintenanceState state;
    final AccessPolicy policy;
    final MaintenanceAnswer answer;

    Gate(MaintenanceState state, AccessPolicy policy, MaintenanceAnswer answer) {
        this.state = state;
        this.policy = policy;
        this.answer = answer;
    }

    boolean isOpen() {
        return answer == null;
    }
}
