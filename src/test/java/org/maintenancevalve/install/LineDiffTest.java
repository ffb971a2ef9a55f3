package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.maintenancevalve.install.Fixtures.bytes;

/**
 * The diff {@code --dry-run} prints: one hunk with three lines of context, in the form of
 * {@code diff -u} (the same hunks as GNU diff -u, which leaves out a count of 1).
 */
class LineDiffTest {

    private static String diff(String before, String after) {
        return LineDiff.unified(bytes(before), bytes(after), "a/server.xml", "b/server.xml");
    }

    private static final String TEN = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n";

    @Test
    void noChangeIsNoDiff() {
        assertEquals("", diff(TEN, TEN));
        assertEquals("", diff("", ""));
    }

    @Test
    void aLineInsertedInTheMiddleHasThreeLinesOfContextOnEachSide() {
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -3,6 +3,7 @@\n l3\n l4\n l5\n+new\n l6\n l7\n l8\n",
                diff(TEN, TEN.replace("l5\n", "l5\nnew\n")));
    }

    @Test
    void aLineRemovedFromTheMiddle() {
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -2,7 +2,6 @@\n l2\n l3\n l4\n-l5\n l6\n l7\n l8\n",
                diff(TEN, TEN.replace("l5\n", "")));
    }

    @Test
    void aChangedLineNearTheStartHasOnlyTheContextThatExists() {
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -1,4 +1,4 @@\n-l1\n+L1\n l2\n l3\n l4\n",
                diff(TEN, TEN.replace("l1\n", "L1\n")));
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n",
                diff(TEN, TEN.replace("l2\n", "L2\n")));
    }

    @Test
    void aChangeNearTheEndOfAFileWithAFinalNewlineHasOnlyTheContextThatExists() {
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -6,5 +6,5 @@\n l6\n l7\n l8\n-l9\n+L9\n l10\n",
                diff(TEN, TEN.replace("l9\n", "L9\n")));
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -8,3 +8,4 @@\n l8\n l9\n l10\n+l11\n",
                diff(TEN, TEN + "l11\n"));
    }

    @Test
    void aChangedLastLineWithoutANewline() {
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -2,4 +2,4 @@\n b\n c\n d\n-e\n+E\n",
                diff("a\nb\nc\nd\ne", "a\nb\nc\nd\nE"));
    }

    @Test
    void aLineAddedAfterTheLastOneOrTakenAway() {
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -1,1 +1,2 @@\n x\n+y\n",
                diff("x", "x\ny"));
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -1,2 +1,1 @@\n x\n-y\n",
                diff("x\ny", "x"));
    }

    @Test
    void aRepeatedLineIsCountedOnceNotMatchedTwice() {
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -1,3 +1,4 @@\n x\n x\n x\n+x\n",
                diff("x\nx\nx", "x\nx\nx\nx"));
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -1,4 +1,3 @@\n x\n x\n x\n-x\n",
                diff("x\nx\nx\nx", "x\nx\nx"));
    }

    @Test
    void crlfFilesDiffLikeLfOnesWithoutTheCarriageReturns() {
        String before = "a\r\nb\r\nc\r\nd\r\ne\r\nf\r\n";
        assertEquals("--- a/server.xml\n+++ b/server.xml\n"
                        + "@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n",
                diff(before, before.replace("b\r\n", "B\r\n")));
    }

    @Test
    void theNamesAreTheOnesGiven() {
        assertEquals("--- /opt/jira/conf/server.xml\n+++ /opt/jira/conf/server.xml (after install)\n"
                        + "@@ -1,1 +1,1 @@\n-x\n+y\n",
                LineDiff.unified(bytes("x"), bytes("y"), "/opt/jira/conf/server.xml", "/opt/jira/conf/server.xml (after install)"));
    }
}
