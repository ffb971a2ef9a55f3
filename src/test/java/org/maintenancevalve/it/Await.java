package org.maintenancevalve.it;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polling with a deadline: never sleep a fixed time waiting for something to happen.
 *
 * <p>Conditions are evaluated about every 20 ms until they hold or the timeout runs out. An
 * exception thrown by the condition counts as "not yet" and is reported (as the cause) if the
 * deadline passes.
 */
public final class Await {

    static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private Await() {
    }

    /** Waits until {@code condition} is true; fails with an AssertionError naming {@code what}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        Objects.requireNonNull(condition, "condition");
        until(timeout, what, condition::getAsBoolean, Boolean::booleanValue);
    }

    /**
     * Polls {@code supplier} until {@code accept} holds for its value, and returns that value. The
     * failure message includes the last value seen (or the last exception thrown).
     */
    public static <T> T until(Duration timeout, String what, Supplier<T> supplier, Predicate<? super T> accept) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(accept, "accept");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        T last = null;
        boolean seen = false;
        RuntimeException lastError = null;
        while (true) {
            try {
                T value = supplier.get();
                last = value;
                seen = true;
                lastError = null;
                if (accept.test(value)) {
                    return value;
                }
            } catch (RuntimeException | AssertionError e) {
                lastError = e instanceof RuntimeException ? (RuntimeException) e : new RuntimeException(e);
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                String message = "Timed out after " + Duration.ofNanos(now - start).toMillis() + " ms (limit "
                        + timeout.toMillis() + " ms) waiting for: " + what
                        + (seen ? "; last value: " + abbreviate(String.valueOf(last)) : "; no value seen")
                        + (lastError != null ? "; last error: " + lastError : "");
                AssertionError failure = new AssertionError(message);
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("Interrupted while waiting for: " + what);
            }
            long pause = Math.min(POLL_INTERVAL.toNanos(), deadline - now);
            LockSupport.parkNanos(Math.max(pause, 1_000_000L));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "... (" + s.length() + " chars)";
    }
}
