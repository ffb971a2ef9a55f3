package org.maintenancevalve.install;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user Tomcat runs as, and what that user may do with a file, worked out from the POSIX owner,
 * group and mode of the file and of every directory above it (ACLs and SELinux are not looked at).
 * <p>
 * Which user: the one named with {@code --user}, else the owner of {@code logs/} in
 * {@code CATALINA_BASE} (Tomcat writes its logs there, so its user owns it in any install that runs
 * as a user of its own: Jira's and Confluence's installers make {@code logs/}, {@code temp/} and
 * {@code work/} the service user's), else the owner of {@code work/} or {@code temp/}.
 */
final class TomcatUser {

    private static final Pattern ID = Pattern.compile("uid=(\\d+)\\(([^)]*)\\).*?groups=(.*)");
    private static final Pattern GROUP = Pattern.compile("\\d+\\(([^)]*)\\)");

    final String name;
    /** How it was found, for the report. */
    final String source;
    /** Whether it is root, whom permissions do not stop. */
    final boolean root;
    /** The groups it is in; empty when unknown. */
    private final Set<String> groups;
    /** Why its groups are not known, or {@code null}. */
    final String unknownGroups;

    TomcatUser(String name, String source, boolean root, Set<String> groups, String unknownGroups) {
        this.name = name;
        this.source = source;
        this.root = root;
        this.groups = groups;
        this.unknownGroups = unknownGroups;
    }

    /** The user named with {@code --user}. */
    static TomcatUser named(String name) {
        return lookUp(name, "given with --user");
    }

    /** The owner of {@code logs/}, {@code work/} or {@code temp/} in the base, or null when none exists. */
    static TomcatUser ownerOfLogs(Path base) {
        for (String dir : Arrays.asList("logs", "work", "temp")) {
            Path path = base.resolve(dir);
            try {
                String owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
                return lookUp(owner, "the owner of " + path);
            } catch (IOException | UnsupportedOperationException e) {
                // next candidate
            }
        }
        return null;
    }

    /** The user's id and groups as {@code id} reports them (it asks NSS: local files, LDAP, ...). */
    private static TomcatUser lookUp(String name, String source) {
        String id;
        try {
            id = run("id", "--", name);
        } catch (IOException e) {
            return new TomcatUser(name, source, name.equals("root") || name.equals("0"),
                    Collections.<String>emptySet(), e.getMessage());
        }
        Matcher m = ID.matcher(id.trim());
        if (!m.find()) {
            return new TomcatUser(name, source, false, Collections.<String>emptySet(), "'id " + name + "' said: " + id.trim());
        }
        Set<String> groups = new HashSet<>();
        Matcher g = GROUP.matcher(m.group(3));
        while (g.find()) {
            groups.add(g.group(1));
        }
        return new TomcatUser(m.group(2), source, m.group(1).equals("0"), groups, null);
    }

    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' did not answer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String text = new String(out.toByteArray(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' said: " + text.trim());
        }
        return text;
    }

    // ------------------------------------------------------------ what it may do

    /** Why the user may not do something: the path in the way, and the whole reason in words. */
    static final class Denied {
        /** The file or directory whose permissions stop the user. */
        final Path blocker;
        /** Whether that is a directory above the target (the user cannot pass it). */
        final boolean above;
        final String text;

        Denied(Path blocker, boolean above, String text) {
            this.blocker = blocker;
            this.above = above;
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Why this user cannot read the file, or {@code null} when it can. */
    Denied cannotRead(Path file) {
        return cannot(file, "read", PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
    }

    /** Why this user cannot create and delete files in the directory, or {@code null} when it can. */
    Denied cannotWriteIn(Path dir) {
        Denied denied = cannot(dir, "create files in", PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_WRITE);
        return denied != null ? denied : cannotSearch(dir);
    }

    /** Why this user cannot look into the directory (find a file by name in it), or {@code null}. */
    Denied cannotSearch(Path dir) {
        return cannot(dir, "look into", PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE);
    }

    private Denied cannot(Path target, String what, PosixFilePermission owner, PosixFilePermission group,
                          PosixFilePermission others) {
        if (root) {
            return null;
        }
        Path absolute = target.toAbsolutePath().normalize();
        // Every directory above it must let the user through: the one nearest the root is named.
        List<Path> above = new ArrayList<>();
        for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
            above.add(0, dir);
        }
        for (Path dir : above) {
            String blocked = denied(dir, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE);
            if (blocked != null) {
                return new Denied(dir, true, name + " cannot " + what + " " + absolute + ": it cannot pass " + blocked);
            }
        }
        String blocked = denied(absolute, owner, group, others);
        return blocked == null ? null : new Denied(absolute, false, name + " cannot " + what + " " + blocked);
    }

    /** "{@code path} (rwx------ root:root)" when the permission is denied to this user, else null. */
    private String denied(Path path, PosixFilePermission owner, PosixFilePermission group, PosixFilePermission others) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null; // missing: reported on its own
        } catch (IOException | UnsupportedOperationException e) {
            return null; // not a POSIX file system: nothing to tell
        }
        Set<PosixFilePermission> mode = attributes.permissions();
        boolean allowed;
        if (attributes.owner().getName().equals(name)) {
            allowed = mode.contains(owner);
        } else if (groups.contains(attributes.group().getName())) {
            allowed = mode.contains(group);
        } else {
            allowed = mode.contains(others);
        }
        return allowed ? null : path + " (" + PosixFilePermissions.toString(mode) + " "
                + attributes.owner().getName() + ":" + attributes.group().getName() + ")";
    }

    @Override
    public String toString() {
        return name + " (" + source + ")";
    }
}
