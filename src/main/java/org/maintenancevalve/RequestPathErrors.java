package org.maintenancevalve;

import org.apache.juli.logging.Log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs an unexpected error on the request path at most once a minute, so a broken state cannot
 * flood the log; the request it hit is answered safely by the caller.
 */
final class RequestPathErrors {

    private static final long INTERVAL_MILLIS = 60_000;

    private final Log log;
    /** Long ago, so the first error is logged; not MIN_VALUE, where "now - last" would overflow. */
    private final AtomicLong lastLoggedMillis = new AtomicLong(Long.MIN_VALUE / 2);

    RequestPathErrors(Log log) {
        this.log = log;
    }

    /** @param what what was being done, and what the request gets instead */
    void report(String what, Throwable e) {
        long now = System.currentTimeMillis();
        long last = lastLoggedMillis.get();
        if (now - last >= INTERVAL_MILLIS && lastLoggedMillis.compareAndSet(last, now)) {
            log.error("MaintenanceValve: unexpected error while " + what
                    + " (further errors are logged at most once a minute)", e);
        }
    }
}
