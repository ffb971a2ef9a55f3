package org.maintenancevalve.harness;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/** The rest of the pipeline (the application), reduced to nothing: whatever reaches it is admitted. */
public final class Terminal extends ValveBase {

    public Terminal() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) {
        // nothing: the application's cost is not the valve's
    }
}
