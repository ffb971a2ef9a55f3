package org.maintenancevalve.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The system's users and groups, from {@code /etc/passwd} and {@code /etc/group} (where the
 * container images keep them; users known only to a directory service are not found, and the
 * tools then say how to run the command as that user by hand).
 */
final class Accounts {

    /** One line of {@code /etc/passwd}. */
    static final class Account {
        final String name;
        final int uid;
        final int gid;
        final String home;
        final String shell;

        Account(String name, int uid, int gid, String home, String shell) {
            this.name = name;
            this.uid = uid;
            this.gid = gid;
            this.home = home;
            this.shell = shell;
        }

        /** {@code jira (uid 2001, gid 2001)}. */
        @Override
        public String toString() {
            return name + " (uid " + uid + ", gid " + gid + ")";
        }
    }

    private final List<Account> users;
    /** Each group: gid, then the names of its members. */
    private final List<String[]> groups;

    private Accounts(List<Account> users, List<String[]> groups) {
        this.users = users;
        this.groups = groups;
    }

    /** This system's accounts; none when the files cannot be read. */
    static Accounts system() {
        return parse(lines("/etc/passwd"), lines("/etc/group"));
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Collections.emptyList();
        }
    }

    /** Accounts from the lines of a passwd and a group file; lines that do not parse are skipped. */
    static Accounts parse(List<String> passwd, List<String> group) {
        List<Account> users = new ArrayList<>();
        for (String line : passwd) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && !line.startsWith("#")) {
                try {
                    users.add(new Account(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5], f[6]));
                } catch (NumberFormatException e) {
                    // not a user line
                }
            }
        }
        List<String[]> groups = new ArrayList<>();
        for (String line : group) {
            String[] f = line.split(":", -1);
            if (f.length >= 4 && !line.startsWith("#") && f[2].matches("\\d{1,10}")) {
                List<String> entry = new ArrayList<>();
                entry.add(f[2]);
                for (String member : f[3].split(",")) {
                    if (!member.trim().isEmpty()) {
                        entry.add(member.trim());
                    }
                }
                groups.add(entry.toArray(new String[0]));
            }
        }
        return new Accounts(users, groups);
    }

    /** The first user with this id, or {@code null}. */
    Account byUid(int uid) {
        for (Account account : users) {
            if (account.uid == uid) {
                return account;
            }
        }
        return null;
    }

    /** The user with this name, or {@code null}. */
    Account byName(String name) {
        for (Account account : users) {
            if (account.name.equals(name)) {
                return account;
            }
        }
        return null;
    }

    /** The members of a group: the users whose own group it is, and those it lists. */
    List<Account> members(int gid) {
        List<Account> members = new ArrayList<>();
        for (Account account : users) {
            if (groupIds(account).contains(gid)) {
                members.add(account);
            }
        }
        return members;
    }

    /** The user's groups: its own, and every group that lists it as a member (what initgroups gives it). */
    Set<Integer> groupIds(Account account) {
        Set<Integer> ids = new LinkedHashSet<>();
        ids.add(account.gid);
        for (String[] group : groups) {
            for (int i = 1; i < group.length; i++) {
                if (group[i].equals(account.name)) {
                    ids.add(Integer.parseInt(group[0]));
                }
            }
        }
        return ids;
    }
}
