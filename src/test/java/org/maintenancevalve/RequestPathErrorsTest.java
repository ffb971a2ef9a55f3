package org.maintenancevalve;

import org.apache.juli.logging.LogFactory;
import org.maintenancevalve.harness.LogRecords;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An unexpected error on the request path is logged: the first at once, then at most once a minute. */
class RequestPathErrorsTest {

    @Test
    void theFirstErrorIsLoggedAndTheNextOnesNotWithinAMinute() {
        String name = "org.maintenancevalve.test.RequestPathErrors";
        try (LogRecords log = LogRecords.of(name)) {
            List<LogRecord> records = log.list();
            RequestPathErrors errors = new RequestPathErrors(LogFactory.getLog(name));
            errors.report("deciding whether a request may pass; it is blocked", new IllegalStateException("first"));
            errors.report("deciding whether a request may pass; it is blocked", new IllegalStateException("second"));
            assertEquals(1, records.size());
            assertTrue(records.get(0).getMessage().startsWith("MaintenanceValve: unexpected error while deciding"),
                    records.get(0).getMessage());
            assertEquals("first", records.get(0).getThrown().getMessage());
        }
    }
}
