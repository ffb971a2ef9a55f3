package org.maintenancevalve.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which local JVMs the tools attach to: the flag file owner's, or $CATALINA_PID's; root only its own. */
class AttachTrustTest {

    @Test
    void aJvmOfTheFlagFilesOwnerIsTrusted() {
        assertNull(AttachTrust.distrust("42", "jira", "jira", null, "jira"));
    }

    @Test
    void aJvmOfAnotherUserThanTheFlagFilesOwnerIsNot() {
        String why = AttachTrust.distrust("42", "bob", "jira", null, "bob");
        assertTrue(why.contains("runs as bob but the flag file belongs to jira") && why.contains("CATALINA_PID"), why);
    }

    @Test
    void theJvmCatalinaPidNamesIsTrusted() {
        assertNull(AttachTrust.distrust("42", "bob", "jira", "42", "bob"));
        assertTrue(AttachTrust.distrust("43", "bob", "jira", "42", "bob") != null);
    }

    @Test
    void rootTrustsNoJvmOfAnotherUserEvenTheFlagFilesOwnersOrCatalinaPids() {
        String why = AttachTrust.distrust("42", "jira", "jira", "42", "root");
        assertTrue(why.contains("as root, a JVM of another user is not trusted") && why.contains("sudo -u jira")
                && why.contains("--jmx"), why);
        assertTrue(AttachTrust.distrust("42", null, "jira", null, "root") != null, "an owner that cannot be told");
        assertNull(AttachTrust.distrust("42", "root", "root", null, "root"));
    }

    @Test
    void withoutProcAJvmIsThisUsersOwn() {
        assertNull(AttachTrust.distrust("42", null, "jira", null, "jira"));
        assertTrue(AttachTrust.distrust("42", null, "jira", null, "bob") != null);
    }

    @Test
    void rootIsToldWhomToRunAsEvenWhenTheJvmsOwnerCannotBeTold() {
        assertEquals("runs as another user: as root, a JVM of another user is not trusted (run this as that user,"
                + " or give --jmx HOST:PORT)", AttachTrust.distrust("42", null, "jira", null, "root"));
    }
}
