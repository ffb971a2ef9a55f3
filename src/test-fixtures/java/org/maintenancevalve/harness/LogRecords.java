package org.maintenancevalve.harness;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one logger records while this is open (JULI, Tomcat's logging, writes through
 * {@code java.util.logging}): for tests that a line is logged, and logged once.
 */
public final class LogRecords extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogRecords(Logger logger) {
        this.logger = logger;
    }

    /** Starts recording what the logger of that name is given. */
    public static LogRecords of(String loggerName) {
        LogRecords records = new LogRecords(Logger.getLogger(loggerName));
        records.logger.addHandler(records);
        return records;
    }

    /** Everything recorded so far, in order (a live, thread-safe view). */
    public List<LogRecord> list() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    /** Stops recording. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
