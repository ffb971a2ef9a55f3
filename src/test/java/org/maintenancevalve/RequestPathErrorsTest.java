package org.maintenancevalve;

import org.apache.juli.logging.LogFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An unexpected error on the request path is logged: the first at once, then at most once a minute. */
class RequestPathErrorsTest {

    @Test
    void theFirstErrorIsLoggedAndTheNextOnesNotWithinAMinute() {
        String name = "org.maintenancevalve.test.RequestPathErrors";
        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger(name);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            RequestPathErrors errors = new RequestPathErrors(LogFactory.getLog(name));
            errors.report("deciding whether a request may pass; it is blocked", new IllegalStateException("first"));
            errors.report("deciding whether a request may pass; it is blocked", new IllegalStateException("second"));
            assertEquals(1, records.size());
            assertTrue(records.get(0).getMessage().startsWith("MaintenanceValve: unexpected error while deciding"),
                    records.get(0).getMessage());
            assertEquals("first", records.get(0).getThrown().getMessage());
        } finally {
            logger.removeHandler(handler);
        }
    }
}
