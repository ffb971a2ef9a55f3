package org.maintenancevalve.files;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The words an admin reads for an I/O error: the reason and the file. */
class IoErrorsTest {

    @Test
    void theCommonErrorsAreSaidInWords() {
        assertEquals("permission denied: /opt/jira/conf/server.xml",
                IoErrors.describe(new AccessDeniedException("/opt/jira/conf/server.xml")));
        assertEquals("no such file: /opt/jira/conf/server.xml",
                IoErrors.describe(new NoSuchFileException("/opt/jira/conf/server.xml")));
    }

    @Test
    void theOperatingSystemsReasonWinsWhenThereIsOne() {
        assertEquals("Read-only file system: /opt/jira/conf/server.xml",
                IoErrors.describe(new AccessDeniedException("/opt/jira/conf/server.xml", null, "Read-only file system")));
        assertEquals("Stale file handle: /mnt/nfs/maintenance.flag",
                IoErrors.describe(new NoSuchFileException("/mnt/nfs/maintenance.flag", null, "Stale file handle")));
        assertEquals("Is a directory: /opt/flag",
                IoErrors.describe(new FileSystemException("/opt/flag", null, "Is a directory")));
    }

    @Test
    void withoutAReasonTheKindOfErrorIsNamed() {
        assertEquals("NotDirectoryException: /opt/flag", IoErrors.describe(new NotDirectoryException("/opt/flag")));
        assertEquals("No space left on device", IoErrors.describe(new IOException("No space left on device")));
        assertEquals("IOException", IoErrors.describe(new IOException()));
    }

    @Test
    void theReasonAloneForAMessageThatNamesTheFileAlready() {
        assertEquals("Operation not permitted",
                IoErrors.reason(new FileSystemException("/opt/flag", null, "Operation not permitted")));
        assertEquals("/opt/flag", IoErrors.reason(new FileSystemException("/opt/flag")));
        assertEquals("boom", IoErrors.reason(new IllegalStateException("boom")));
        assertEquals("java.io.IOException", IoErrors.reason(new IOException()));
    }
}
