package org.maintenancevalve.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AccountsTest {

    private static final Accounts ACCOUNTS = Accounts.parse(Arrays.asList(
            "# a comment",
            "root:x:0:0:root:/root:/bin/bash",
            "jira:x:2001:2001:Atlassian Jira:/var/atlassian/application-data/jira:/bin/bash",
            "alias:x:2001:2001::/home/alias:/bin/sh",
            "broken:x:notanumber:1::/:/bin/sh",
            "short:x:1",
            "bob:x:2002:2002::/home/bob:/bin/sh"), Arrays.asList(
            "jira:x:2001:",
            "staff:x:50:jira, bob",
            "docker:x:999:bob",
            "bad:x:xx:jira"));

    @Test
    void usersByIdAndName() {
        Accounts.Account jira = ACCOUNTS.byUid(2001);
        assertEquals("jira", jira.name, "the first with that id");
        assertEquals(2001, jira.gid);
        assertEquals("/var/atlassian/application-data/jira", jira.home);
        assertEquals("/bin/bash", jira.shell);
        assertEquals("jira (uid 2001, gid 2001)", jira.toString());
        assertEquals(2002, ACCOUNTS.byName("bob").uid);
        assertNull(ACCOUNTS.byName("broken"));
        assertNull(ACCOUNTS.byName("short"));
        assertNull(ACCOUNTS.byUid(4242));
    }

    @Test
    void groupsAsInitgroupsGivesThem() {
        assertEquals(Arrays.asList(2001, 50), new ArrayList<>(ACCOUNTS.groupIds(ACCOUNTS.byName("jira"))));
        assertEquals(Arrays.asList(2002, 50, 999), new ArrayList<>(ACCOUNTS.groupIds(ACCOUNTS.byName("bob"))));
    }

    @Test
    void membersAreTheUsersWhoseOwnGroupItIsAndThoseItLists() {
        assertEquals(Arrays.asList("jira", "alias"), names(ACCOUNTS.members(2001)));
        assertEquals(Arrays.asList("jira", "bob"), names(ACCOUNTS.members(50)));
        assertEquals(Arrays.asList("root"), names(ACCOUNTS.members(0)));
        assertEquals(Arrays.asList(), names(ACCOUNTS.members(12345)));
    }

    private static List<String> names(List<Accounts.Account> accounts) {
        List<String> names = new ArrayList<>();
        for (Accounts.Account account : accounts) {
            names.add(account.name);
        }
        return names;
    }
}
