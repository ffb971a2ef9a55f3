package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who besides root can change what a path names: the users who own it, a directory on the way to
 * it, or a symbolic link on the way (and, through it, the directories of its target), and the
 * groups, or everyone, allowed to write one of them. Whoever can change any of those can make the
 * path mean another file. A sticky directory on the way (such as {@code /tmp}) lets others add
 * names but not take over someone else's, so its write bits count only when it is the path itself.
 * <p>
 * Root's command line uses this to choose whom to act as ({@code cli.ActingUser}): acting as a
 * user who can already change the path gives nobody anything new. It is looked at step by step,
 * links resolved by hand, nothing followed that is not recorded.
 */
public final class PathControl {

    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int LINK = 0120000;
    private static final int STICKY = 01000;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    /** As Linux's {@code MAXSYMLINKS}. */
    private static final int MAX_LINKS = 40;

    private final Map<Integer, String> ownerNames;
    private final Map<Integer, Path> owned;
    private final Map<Integer, String> groupNames;
    private final Map<Integer, Path> groupWritable;
    private final Path everyoneWritable;
    private final boolean exists;

    private PathControl(Builder b) {
        this.ownerNames = Collections.unmodifiableMap(new LinkedHashMap<>(b.ownerNames));
        this.owned = Collections.unmodifiableMap(new LinkedHashMap<>(b.owned));
        this.groupNames = Collections.unmodifiableMap(new LinkedHashMap<>(b.groupNames));
        this.groupWritable = Collections.unmodifiableMap(new LinkedHashMap<>(b.groupWritable));
        this.everyoneWritable = b.everyoneWritable;
        this.exists = b.exists;
    }

    /**
     * Looks at {@code path} (made absolute and normalised) from {@code /} down, resolving each
     * symbolic link by hand. A name that does not exist ends the walk: what was seen up to it is
     * kept, and {@link #exists()} is false.
     *
     * @throws IOException when a step cannot be looked at, a file is in the way of a directory, or
     *                     there are too many links
     */
    public static PathControl of(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Builder seen = new Builder();
        Deque<String> pending = new ArrayDeque<>();
        for (Path name : absolute) {
            pending.add(name.toString());
        }
        Path current = absolute.getRoot();
        seen.record(current, attributes(current), pending.isEmpty());
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            Map<String, Object> a;
            try {
                a = attributes(next);
            } catch (NoSuchFileException e) {
                return seen.missing().build();
            }
            int type = (Integer) a.get("mode") & TYPE_MASK;
            if (type == LINK) {
                if (++links > MAX_LINKS) {
                    throw new FileSystemException(absolute.toString(), null, "too many levels of symbolic links");
                }
                // In a sticky directory the link's owner may replace it; elsewhere its directory's owner (already seen).
                seen.owner(a, next);
                Path target = Files.readSymbolicLink(next);
                List<String> names = new ArrayList<>();
                for (Path part : target) {
                    names.add(part.toString());
                }
                Collections.reverse(names);
                for (String part : names) {
                    pending.addFirst(part);
                }
                if (target.isAbsolute()) {
                    current = target.getRoot();
                }
                continue;
            }
            boolean last = pending.isEmpty();
            if (type != DIRECTORY && !last) {
                throw new NotDirectoryException(next.toString());
            }
            seen.record(next, a, last);
            current = next;
        }
        return seen.build();
    }

    private static Map<String, Object> attributes(Path path) throws IOException {
        return Files.readAttributes(path, "unix:uid,gid,mode,owner,group", LinkOption.NOFOLLOW_LINKS);
    }

    /** Facts given as they are, e.g. by a test: {@code builder().owner(2001, "jira", dir).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the path exists (the walk reached its end). */
    public boolean exists() {
        return exists;
    }

    /** Whether nobody but root can change it. */
    public boolean rootsAlone() {
        return owned.isEmpty() && groupWritable.isEmpty() && everyoneWritable == null;
    }

    /** The users other than root who own it or something on the way, in the order met. */
    public Set<Integer> owners() {
        return owned.keySet();
    }

    /** The groups that may write it or something on the way. */
    public Set<Integer> groups() {
        return groupWritable.keySet();
    }

    /** The first thing on the way that everyone may write, or {@code null}. */
    public Path everyone() {
        return everyoneWritable;
    }

    /** Whether the user with this id, a member of these groups, is one of those who can change it. */
    public boolean includes(int uid, Set<Integer> groupIds) {
        if (owned.containsKey(uid) || everyoneWritable != null) {
            return true;
        }
        for (Integer gid : groupIds) {
            if (groupWritable.containsKey(gid)) {
                return true;
            }
        }
        return false;
    }

    /** The name of an owner, as the file system gave it. */
    public String ownerName(int uid) {
        String name = ownerNames.get(uid);
        return name == null ? String.valueOf(uid) : name;
    }

    /** The first thing on the way {@code uid} owns, or {@code null}. */
    public Path owned(int uid) {
        return owned.get(uid);
    }

    /** What {@code uid} owns on the way, e.g. {@code jira owns /opt/atlassian/jira/conf}; {@code null} if nothing. */
    public String owns(int uid) {
        Path path = owned.get(uid);
        return path == null ? null : ownerName(uid) + " owns " + path;
    }

    /**
     * Every reason someone besides root can change it, e.g. {@code jira owns /a; its group jira can
     * write /a/b; everyone can write /a/b/c}.
     */
    public String describe() {
        List<String> reasons = new ArrayList<>();
        for (Integer uid : owned.keySet()) {
            reasons.add(owns(uid));
        }
        for (Map.Entry<Integer, Path> group : groupWritable.entrySet()) {
            String name = groupNames.get(group.getKey());
            reasons.add("its group " + (name == null ? String.valueOf(group.getKey()) : name) + " can write " + group.getValue());
        }
        if (everyoneWritable != null) {
            reasons.add("everyone can write " + everyoneWritable);
        }
        return reasons.isEmpty() ? "only root can change it" : String.join("; ", reasons);
    }

    /** Builds the facts: from the walk, or given by hand. */
    public static final class Builder {
        private final Map<Integer, String> ownerNames = new LinkedHashMap<>();
        private final Map<Integer, Path> owned = new LinkedHashMap<>();
        private final Map<Integer, String> groupNames = new LinkedHashMap<>();
        private final Map<Integer, Path> groupWritable = new LinkedHashMap<>();
        private Path everyoneWritable;
        private boolean exists = true;

        private Builder() {
        }

        /** {@code name} (uid {@code uid}) owns {@code path}. Root (uid 0) is not recorded. */
        public Builder owner(int uid, String name, Path path) {
            if (uid != 0) {
                ownerNames.putIfAbsent(uid, name);
                owned.putIfAbsent(uid, path);
            }
            return this;
        }

        /** The members of the group {@code name} (gid {@code gid}) may write {@code path}. */
        public Builder group(int gid, String name, Path path) {
            groupNames.putIfAbsent(gid, name);
            groupWritable.putIfAbsent(gid, path);
            return this;
        }

        /** Everyone may write {@code path}. */
        public Builder everyone(Path path) {
            if (everyoneWritable == null) {
                everyoneWritable = path;
            }
            return this;
        }

        /** The path does not exist (what is recorded is what leads to it). */
        public Builder missing() {
            exists = false;
            return this;
        }

        public PathControl build() {
            return new PathControl(this);
        }

        private void owner(Map<String, Object> a, Path path) {
            owner((Integer) a.get("uid"), a.get("owner").toString(), path);
        }

        /** A directory (or, at the end, the file itself): its owner, and who else may write it. */
        private void record(Path path, Map<String, Object> a, boolean last) {
            owner(a, path);
            int mode = (Integer) a.get("mode");
            // Others cannot take over names in a sticky directory on the way; in the path itself they can add one.
            boolean sticky = (mode & TYPE_MASK) == DIRECTORY && (mode & STICKY) != 0 && !last;
            if (sticky) {
                return;
            }
            if ((mode & OTHERS_WRITE) != 0) {
                everyone(path);
            }
            if ((mode & GROUP_WRITE) != 0) {
                group((Integer) a.get("gid"), a.get("group").toString(), path);
            }
        }
    }
}
