package org.maintenancevalve.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.files.PathControl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whom root acts as, for every case: the facts about who can change a path are given by hand
 * (so no root is needed), the configuration files are real files.
 */
class ActingUserTest {

    private static final int JIRA = 2001;
    private static final int BOB = 2002;
    private static final int ALICE = 2003;
    private static final int STAFF = 50;

    private static final Accounts ACCOUNTS = Accounts.parse(Arrays.asList(
            "root:x:0:0:root:/root:/bin/bash",
            "jira:x:2001:2001:Jira:/var/atlassian/application-data/jira:/bin/bash",
            "bob:x:2002:2002::/home/bob:/bin/sh",
            "alice:x:2003:2003::/home/alice:/bin/sh"), Arrays.asList(
            "root:x:0:",
            "jira:x:2001:",
            "bob:x:2002:",
            "alice:x:2003:",
            "staff:x:50:jira,bob"));

    @TempDir
    Path tmp;

    private final Map<Path, PathControl> facts = new HashMap<>();
    private final List<Path> askedAbout = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private Path shared;
    private Path flag;
    private Path base;

    @BeforeEach
    void layout() throws IOException {
        shared = Files.createDirectories(tmp.resolve("shared-home"));
        flag = shared.resolve("maintenance.flag");
        base = Files.createDirectories(tmp.resolve("jira"));
        Files.createDirectories(base.resolve("conf"));
        serverXml("flagFile=\"" + flag + "\"");
    }

    private void serverXml(String attributes) throws IOException {
        Files.writeString(base.resolve("conf/server.xml"), "<Server><Service><Engine defaultHost=\"localhost\">"
                + "<Host name=\"localhost\"><Valve className=\"org.maintenancevalve.MaintenanceValve\" " + attributes
                + "/></Host></Engine></Service></Server>");
    }

    private Path serverXmlPath() {
        return base.resolve("conf/server.xml");
    }

    private Path properties() {
        return base.resolve("conf/catalina.properties");
    }

    private static PathControl ownedBy(int uid, String name, Path path) {
        return PathControl.builder().owner(uid, name, path).build();
    }

    /** The facts given, or "only root can change it" (and "missing" for what does not exist). */
    private PathControl of(Path path) {
        askedAbout.add(path);
        PathControl given = facts.get(path);
        if (given != null) {
            return given;
        }
        return Files.exists(path) ? PathControl.builder().build() : PathControl.builder().missing().build();
    }

    private ActingUser.Decision decide(String... args) {
        return ActingUser.decide(args[0], Arrays.asList(args).subList(1, args.length), env, this::of, ACCOUNTS);
    }

    private static void assertActsAs(String user, ActingUser.Decision decision) {
        assertNull(decision.refusal, decision.refusal);
        assertFalse(decision.root(), "acts as a user, not as root");
        assertEquals(user, decision.account.name, decision.why);
    }

    private static void assertRefused(ActingUser.Decision decision, String... parts) {
        assertTrue(decision.refusal != null, "refused, not acting as " + decision.account);
        for (String part : parts) {
            assertTrue(decision.refusal.contains(part), "'" + part + "' in: " + decision.refusal);
        }
        assertTrue(decision.refusal.contains("Nothing was changed."), decision.refusal);
    }

    // ------------------------------------------------------------ a flag file root names

    @Test
    void aDirectoryOnlyRootCanChangeIsWrittenByRootItself() {
        for (String verb : ActingUser.VERBS.keySet()) {
            assertTrue(decide(verb, "--flag", flag.toString()).root(), verb);
        }
        env.put("RUN_USER", "jira");
        assertTrue(decide("on", "--flag", flag.toString()).root(), "jira could not write there: root writes it");
    }

    @Test
    void aDirectoryOfOneUserIsActedOnAsThatUserForEveryVerb() {
        facts.put(shared, ownedBy(JIRA, "jira", shared));
        for (String verb : ActingUser.VERBS.keySet()) {
            ActingUser.Decision decision = decide(verb, "--flag", flag.toString());
            assertActsAs("jira", decision);
            assertEquals(JIRA, decision.account.uid);
            assertEquals(JIRA, decision.account.gid);
            assertTrue(decision.why.startsWith("jira owns " + shared + ", the flag file's directory"), decision.why);
        }
        assertTrue(decide("on", "--flag", flag.toString()).why.endsWith("root does not write where another user can change things"));
        assertTrue(decide("status", "--flag", flag.toString()).why.endsWith("asks that user's Tomcat"));
    }

    @Test
    void theFlagFileFromRootsEnvironmentCountsAsRootsWordToo() {
        facts.put(shared, ownedBy(JIRA, "jira", shared));
        env.put("MAINTENANCE_FLAG", flag.toString());
        assertActsAs("jira", decide("on", "--for", "1h"));
    }

    @Test
    void aUserOwningADirectoryAboveItIsTheOneToActAs() {
        Path above = tmp;
        facts.put(shared, ownedBy(JIRA, "jira", above));
        ActingUser.Decision decision = decide("off", "--flag", flag.toString());
        assertActsAs("jira", decision);
        assertTrue(decision.why.startsWith("jira owns " + above + ", on the way to " + shared + ", the flag file's directory"),
                decision.why);
    }

    @Test
    void twoUsersOnTheWayAreNotChosenBetween() {
        facts.put(shared, PathControl.builder().owner(BOB, "bob", tmp).owner(JIRA, "jira", shared).build());
        for (String verb : new String[] {"on", "off", "run"}) {
            assertRefused(decide(verb, "--flag", flag.toString()), "as root, the flag file is not changed in " + shared,
                    "more than one user can change it (bob owns " + tmp + "; jira owns " + shared + ")",
                    "root will not choose whom to act as", "Run it as the user Tomcat runs as yourself: setpriv"
                            + " --reuid=<tomcat-user> --regid=<its group> --init-groups java -jar maintenance-valve.jar " + verb
                            + " ...");
        }
        assertTrue(decide("status", "--flag", flag.toString()).root(), "status changes nothing: it stays root, as before");
        assertTrue(decide("wait-idle", "--flag", flag.toString()).root());
    }

    @Test
    void aDirectoryAGroupMayWriteNeedsRunUserFromRootsEnvironment() {
        // Atlassian's Helm charts: the shared home's root directory is chgrp'd to the product's group and made g+w.
        facts.put(shared, PathControl.builder().group(JIRA, "jira", shared).build());
        assertRefused(decide("on", "--flag", flag.toString()), "a group or everyone, not one user, can change it (its group"
                + " jira can write " + shared + ")", "Set RUN_USER to the user Tomcat runs as");
        assertTrue(decide("status", "--flag", flag.toString()).root());

        env.put("RUN_USER", "jira");
        ActingUser.Decision decision = decide("on", "--flag", flag.toString());
        assertActsAs("jira", decision);
        assertTrue(decision.why.startsWith("RUN_USER is jira, who can change " + shared), decision.why);

        env.put("RUN_USER", "bob");
        assertRefused(decide("on", "--flag", flag.toString()), "this would run as bob (RUN_USER), who cannot change " + shared);
        assertRefused(decide("status", "--flag", flag.toString()), "who cannot change");
    }

    @Test
    void runUserIsTakenOnlyForAUserWhoCanAlreadyChangeTheDirectory() {
        facts.put(shared, ownedBy(ALICE, "alice", shared));
        env.put("RUN_USER", "jira");
        assertRefused(decide("on", "--flag", flag.toString()), "jira (RUN_USER), who cannot change " + shared
                + ", the flag file's directory (alice owns " + shared + ")");
        facts.put(shared, PathControl.builder().owner(ALICE, "alice", shared).everyone(shared).build());
        assertActsAs("jira", decide("on", "--flag", flag.toString()));
        facts.put(shared, PathControl.builder().owner(ALICE, "alice", shared).group(STAFF, "staff", shared).build());
        assertActsAs("jira", decide("on", "--flag", flag.toString()));
    }

    @Test
    void runUserRootOrUnknownIsNoWord() {
        facts.put(shared, ownedBy(JIRA, "jira", shared));
        env.put("RUN_USER", "root");
        assertActsAs("jira", decide("on", "--flag", flag.toString()));
        env.put("RUN_USER", "nosuchuser");
        assertActsAs("jira", decide("on", "--flag", flag.toString()));
    }

    @Test
    void anOwnerWithoutAnAccountIsRefusedWithTheWayByHand() {
        facts.put(shared, ownedBy(3000, "3000", shared));
        assertRefused(decide("on", "--flag", flag.toString()), "this would run as 3000", "uid 3000 has no entry in /etc/passwd",
                "setpriv --reuid=3000 --regid=<its group id> --clear-groups java -jar maintenance-valve.jar on ...");
    }

    @Test
    void aMissingDirectoryIsLeftToTheVerb() {
        facts.put(shared, ownedBy(JIRA, "jira", shared));
        Path nowhere = tmp.resolve("no/such/dir/maintenance.flag");
        assertTrue(decide("on", "--flag", nowhere.toString()).root(), "on says the directory does not exist");
    }

    // ------------------------------------------------------------ --catalina-base

    @Test
    void aServerXmlOfTheTomcatUserMeansActingAsThatUserBeforeItIsRead() throws IOException {
        facts.put(serverXmlPath(), ownedBy(JIRA, "jira", base.resolve("conf")));
        // Were it read by root, this would be an error; and the flag's directory is bob's.
        Files.writeString(serverXmlPath(), "<Server><not xml");
        Path bobs = Files.createDirectories(tmp.resolve("bobs"));
        facts.put(bobs, ownedBy(BOB, "bob", bobs));
        for (String verb : ActingUser.VERBS.keySet()) {
            ActingUser.Decision decision = decide(verb, "--catalina-base", base.toString());
            assertActsAs("jira", decision);
            assertEquals("jira owns " + base.resolve("conf") + ", so " + serverXmlPath() + ", which names the flag file,"
                    + " is jira's word, not root's", decision.why);
        }
        assertFalse(askedAbout.contains(bobs));
    }

    @Test
    void aCatalinaPropertiesOfAnotherUserIsRefusedEvenWithoutAPropertyInUse() throws IOException {
        facts.put(serverXmlPath(), ownedBy(JIRA, "jira", serverXmlPath()));
        Files.writeString(properties(), "shared.home=/elsewhere\n");
        facts.put(properties(), ownedBy(BOB, "bob", properties()));
        for (String verb : ActingUser.VERBS.keySet()) {
            assertRefused(decide(verb, "--catalina-base", base.toString()),
                    "as root, the flag file is not taken from " + base + ": besides root, not only jira can change the"
                            + " files that name it: " + properties() + " (bob owns " + properties() + ")",
                    "root does not choose whom to act as");
        }
        facts.put(properties(), PathControl.builder().everyone(properties()).build());
        assertRefused(decide("on", "--catalina-base", base.toString()), "(everyone can write " + properties() + ")");
    }

    @Test
    void aPropertyFromTheTomcatUsersCatalinaPropertiesMeansActingAsThatUser() throws IOException {
        serverXml("flagFile=\"${shared.home}/maintenance.flag\"");
        Files.writeString(properties(), "shared.home=" + shared + "\n");
        facts.put(properties(), ownedBy(JIRA, "jira", properties()));
        ActingUser.Decision decision = decide("on", "--catalina-base", base.toString());
        assertActsAs("jira", decision);
        assertTrue(decision.why.contains(properties() + ", whose properties name the flag file, is jira's word"), decision.why);
    }

    @Test
    void aCatalinaPropertiesNotInUseDoesNotChooseTheUser() throws IOException {
        Files.writeString(properties(), "shared.home=/elsewhere\n");
        facts.put(properties(), ownedBy(BOB, "bob", properties()));
        facts.put(shared, ownedBy(JIRA, "jira", shared));
        ActingUser.Decision decision = decide("on", "--catalina-base", base.toString());
        assertActsAs("jira", decision);
        assertTrue(decision.why.startsWith("jira owns " + shared + ", the flag file's directory"), decision.why);
        assertFalse(askedAbout.contains(properties()), "not looked at: server.xml names the flag file by itself");
    }

    @Test
    void anInstallOnlyRootCanChangeNamingADirectoryOnlyRootCanChangeStaysRoot() {
        assertTrue(decide("on", "--catalina-base", base.toString()).root());
    }

    @Test
    void aServerXmlTheTomcatGroupMayWriteNeedsRunUserAndNobodyElseInThatGroup() {
        facts.put(serverXmlPath(), PathControl.builder().group(JIRA, "jira", serverXmlPath()).build());
        assertRefused(decide("on", "--catalina-base", base.toString()), "no single user can change the files that name it");
        env.put("RUN_USER", "jira");
        ActingUser.Decision decision = decide("on", "--catalina-base", base.toString());
        assertActsAs("jira", decision);
        assertTrue(decision.why.startsWith("RUN_USER is jira, and only jira (and root) can change " + serverXmlPath()),
                decision.why);
        facts.put(serverXmlPath(), PathControl.builder().group(STAFF, "staff", serverXmlPath()).build());
        assertRefused(decide("on", "--catalina-base", base.toString()), "not only jira can change",
                "(its group staff can write " + serverXmlPath() + ")");
    }

    @Test
    void runUserDoesNotOverrideTheOwnerOfTheConfiguration() {
        facts.put(serverXmlPath(), ownedBy(BOB, "bob", serverXmlPath()));
        env.put("RUN_USER", "jira");
        assertRefused(decide("on", "--catalina-base", base.toString()), "not only jira can change",
                "(bob owns " + serverXmlPath() + ")");
    }

    // ------------------------------------------------------------ what is left to the verb

    @Test
    void helpBadUsageAndOtherVerbsAreLeftToTheVerbAsRoot() {
        facts.put(shared, ownedBy(JIRA, "jira", shared));
        assertTrue(decide("on", "--flag", flag.toString(), "--help").root());
        assertTrue(decide("on", "--flag", flag.toString(), "--no-such-option").root());
        assertTrue(decide("on", "--flag", flag.toString(), "--catalina-base", base.toString()).root(), "both: bad usage");
        assertTrue(decide("install", base.toString(), "--flag", flag.toString()).root());
        assertTrue(decide("check", base.toString()).root());
        assertTrue(decide("status").root(), "no flag file named");
    }

    @Test
    void runLooksOnlyAtItsOwnOptionsNotAtTheCommands() {
        facts.put(shared, ownedBy(JIRA, "jira", shared));
        Path bobs = tmp.resolve("bobs");
        facts.put(bobs, ownedBy(BOB, "bob", bobs));
        assertActsAs("jira", decide("run", "--flag", flag.toString(), "--for", "1h", "--", "backup.sh", "--flag",
                bobs.resolve("x").toString()));
    }
}
