package org.maintenancevalve;

import org.apache.catalina.connector.Request;
import org.maintenancevalve.drain.InFlightRequests;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps an asynchronous request counted in flight until Tomcat has finished it. A request the
 * application has put into async mode (Servlet 3 {@code startAsync}: long polls, REST resources
 * that answer from another thread) is still running when the valve's {@code invoke} returns; it
 * ends when it completes, fails or times out, on another thread, maybe minutes later.
 * <p>
 * Tomcat tells each {@code AccessLog} of the request's containers once it has finished a request,
 * async or not: {@code CoyoteAdapter} logs it where it recycles it, also for a connection closed
 * under an async request. The valve is one ({@link MaintenanceValve#log}): a Catalina interface with
 * the same methods on 8.5, 9.0, 10.1 and 11.0 and no servlet type in them (the servlet API's
 * {@code AsyncListener} is {@code javax} on two lines and {@code jakarta} on the other two). Until
 * then the request carries its {@link InFlightRequests.Generation} in a note of this valve's own.
 * <p>
 * For a request that is not async, {@code isAsync()} is a field check: no allocation, no lock.
 */
final class AsyncInFlight {

    /** Tells the notes of two valves on one request apart (a valve at Engine and one at Host level). */
    private static final AtomicInteger VALVES = new AtomicInteger();

    private final String note = AsyncInFlight.class.getName() + "." + VALVES.incrementAndGet();
    private final InFlightRequests inFlight;

    AsyncInFlight(InFlightRequests inFlight) {
        this.inFlight = inFlight;
    }

    /**
     * Called when the request has come back from the application. An async request keeps its
     * place in flight, in its generation, until {@link #finished}; one already kept (an async
     * dispatch that went async again) is kept once.
     *
     * @return whether the request is kept; if not, the caller ends its place in flight now
     */
    boolean keep(Request request, InFlightRequests.Generation generation) {
        if (!request.isAsync() || request.getNote(note) != null) {
            return false;
        }
        request.setNote(note, generation);
        return true;
    }

    /** Tomcat has finished the request: the place {@link #keep} kept for it ends. */
    void finished(Request request) {
        Object kept = request.getNote(note);
        if (kept instanceof InFlightRequests.Generation) {
            request.removeNote(note);
            inFlight.exit((InFlightRequests.Generation) kept);
        }
    }
}
