package org.maintenancevalve.harness;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application behind the valve, for tests: it answers nothing (Tomcat's default {@code 200},
 * no body) and counts the requests that reached it. The benchmarks use {@link Terminal}, which
 * does not even count.
 */
public final class Application extends ValveBase {

    private final AtomicInteger reached = new AtomicInteger();

    public Application() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) {
        reached.incrementAndGet();
    }

    /** How many requests reached the application so far. */
    public int reached() {
        return reached.get();
    }
}
