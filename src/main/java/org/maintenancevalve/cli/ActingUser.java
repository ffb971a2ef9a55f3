package org.maintenancevalve.cli;

import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.files.IoErrors;
import org.maintenancevalve.files.PathControl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whom root's command line acts as. In a root shell ({@code docker exec}, {@code kubectl exec})
 * the product runs as another user ({@code jira}), who owns the shared home where the flag file is,
 * and root keeps the rules of {@code Run as root}: it does not take the flag file's name from a file
 * another user can change, nor write where another user can change things. So, as root, the
 * commands that act on a flag file run as the one user who can already change what they act on
 * ({@link AsUser}): acting as that user gives nobody anything new, which keeps it safe by
 * construction. The user comes from the file system, or from root's own word, never from a file
 * another user could have written:
 * <ul>
 * <li>{@code --catalina-base DIR}: when a file that names the flag file ({@code conf/server.xml},
 * {@code catalina.properties} for a {@code ${...}}) is not root's alone, the one user who can
 * change it, before it is read: that user could have named any file there anyway. Every other
 * such file must be root's alone or that user's alone; otherwise one user could steer what is done
 * as another, and it is refused.</li>
 * <li>A flag file named by root ({@code --flag}, {@code $MAINTENANCE_FLAG}, or a configuration only
 * root can change): root itself when only root can change the flag file's directory; else the one
 * user who owns what is not root's on the way to it.</li>
 * <li>{@code $RUN_USER}, which Atlassian's images set to the user they run the product as, is root's
 * own word: when set, it is the user, provided that user can already change that location (and,
 * for a configuration, nobody else can); it is what decides where a group (or everyone) may write
 * the location rather than one user (Atlassian's Helm charts make the shared home group-writable
 * for the product's group).</li>
 * </ul>
 * Anything else (two users on the way, a group without {@code $RUN_USER}, a user unknown to
 * {@code /etc/passwd}) is refused with the way to run it as the right user by hand; {@code status}
 * and {@code wait-idle}, which change nothing, then stay root, as before.
 */
final class ActingUser {

    /** The verbs that act on a flag file, each with its options. */
    static final Map<String, Supplier<Args.Spec>> VERBS;

    /** Of those, the ones that write or remove it (the others only read it and ask the valves). */
    private static final Set<String> WRITERS = new HashSet<>(Arrays.asList("on", "off", "run"));

    /** Set by Atlassian's images to the user they run the product as. */
    static final String RUN_USER = "RUN_USER";

    static {
        Map<String, Supplier<Args.Spec>> verbs = new LinkedHashMap<>();
        verbs.put("on", () -> OnVerb.options(Args.spec()));
        verbs.put("off", OffVerb::options);
        verbs.put("run", RunVerb::options);
        verbs.put("status", StatusVerb::options);
        verbs.put("wait-idle", WaitIdleVerb::options);
        VERBS = Collections.unmodifiableMap(verbs);
    }

    /** Who can change a path: {@link PathControl#of} on this system; given by hand in tests. */
    interface Facts {
        PathControl of(Path path) throws IOException;
    }

    /** What root does: act as itself, act as a user, or refuse. */
    static final class Decision {
        /** Root acts as itself: the verb runs here, with root's rules. */
        static final Decision ROOT = new Decision(null, null, null);

        /** The user to act as, or {@code null}. */
        final Accounts.Account account;
        /** Why that user, e.g. {@code jira owns /var/atlassian/application-data/shared-home, the flag file's directory}. */
        final String why;
        /** Why nothing is done, with the way out; or {@code null}. */
        final String refusal;

        private Decision(Accounts.Account account, String why, String refusal) {
            this.account = account;
            this.why = why;
            this.refusal = refusal;
        }

        static Decision as(Accounts.Account account, String why) {
            return new Decision(account, why, null);
        }

        static Decision refused(String refusal) {
            return new Decision(null, null, refusal);
        }

        boolean root() {
            return account == null && refusal == null;
        }
    }

    /** A file of {@code --catalina-base} that a user other than root can change: not read by root. */
    private static final class NotRootsWord extends Refused {
        private static final long serialVersionUID = 1L;
        final transient Path file;
        final transient Path base;
        final transient PathControl control;

        NotRootsWord(Path file, Path base, PathControl control) {
            super(file + ": " + control.describe());
            this.file = file;
            this.base = base;
            this.control = control;
        }
    }

    private final String verb;
    private final Map<String, String> env;
    private final Facts facts;
    private final Accounts accounts;

    private ActingUser(String verb, Map<String, String> env, Facts facts, Accounts accounts) {
        this.verb = verb;
        this.env = env;
        this.facts = facts;
        this.accounts = accounts;
    }

    /**
     * Whom root acts as for {@code verb args}. A command line the verb will refuse anyway (bad
     * usage, {@code --help}, no such file) is left to the verb, as root.
     *
     * @param args the arguments after the verb's name
     */
    static Decision decide(String verb, List<String> args, Map<String, String> env, Facts facts, Accounts accounts) {
        Supplier<Args.Spec> spec = VERBS.get(verb);
        if (spec == null) {
            return Decision.ROOT;
        }
        Args parsed;
        try {
            parsed = spec.get().parse(verb.equals("run") ? RunVerb.beforeCommand(args) : args);
        } catch (UsageException e) {
            return Decision.ROOT;
        }
        if (parsed.has("--help")) {
            return Decision.ROOT;
        }
        return new ActingUser(verb, env, facts, accounts).decide(parsed);
    }

    private Decision decide(Args args) {
        Path flag;
        try {
            flag = FlagLocation.resolve(args, env, this::readable);
        } catch (NotRootsWord e) {
            return forConfiguration(e);
        } catch (UsageException | Refused e) {
            return Decision.ROOT;
        }
        Path directory = flag.getParent();
        if (directory == null) {
            return Decision.ROOT;
        }
        PathControl control;
        try {
            control = facts.of(directory);
        } catch (IOException e) {
            return Decision.ROOT;
        }
        if (!control.exists() || control.rootsAlone()) {
            return Decision.ROOT;
        }
        return forDirectory(directory, control);
    }

    /** As {@link FlagLocation.Reading}: root reads a file of --catalina-base only when it is root's alone. */
    private Path readable(Path file, Path serverXml, Path base) throws Refused {
        PathControl control;
        try {
            control = facts.of(file);
        } catch (IOException e) {
            throw new Refused("cannot look at " + file + " (" + IoErrors.describe(e) + ")", e);
        }
        if (!control.rootsAlone()) {
            throw new NotRootsWord(file, base, control);
        }
        if (!control.exists()) {
            return null;
        }
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new Refused("cannot look at " + file + " (" + IoErrors.describe(e) + ")", e);
        }
    }

    /**
     * A file naming the flag file is not root's alone: act as the one user who can change it (or
     * {@code $RUN_USER}, if only that user can), provided no other user can change any of the
     * files that name the flag file.
     */
    private Decision forConfiguration(NotRootsWord first) {
        String role = first.file.equals(FlagLocation.configurationFiles(first.base).get(2))
                ? "whose properties name the flag file" : "which names the flag file";
        Accounts.Account hint = hint();
        Integer candidate = hint != null ? Integer.valueOf(hint.uid)
                : first.control.owners().size() == 1 ? first.control.owners().iterator().next() : null;
        List<String> others = new ArrayList<>();
        for (Path file : FlagLocation.configurationFiles(first.base)) {
            PathControl control;
            try {
                control = file.equals(first.file) ? first.control : facts.of(file);
            } catch (IOException e) {
                return Decision.refused("cannot look at " + file + " (" + IoErrors.describe(e) + "); nothing was changed");
            }
            if (!control.rootsAlone() && (candidate == null || !onlyBy(control, candidate))) {
                others.add(file + " (" + control.describe() + ")");
            }
        }
        if (candidate == null || !others.isEmpty()) {
            return Decision.refused("as root, the flag file is not taken from " + first.base + ": besides root, "
                    + (candidate == null ? "no single user" : "not only " + name(candidate, first.control))
                    + " can change the files that name it: " + String.join("; ", others.isEmpty()
                            ? Collections.singletonList(first.file + " (" + first.control.describe() + ")") : others)
                    + ". Whoever can change them could make root act, as another user, on a file of their choosing,"
                    + " so root does not choose whom to act as. Nothing was changed. " + byHand(null));
        }
        String why = hint != null
                ? RUN_USER + " is " + hint.name + ", and only " + hint.name + " (and root) can change " + first.file
                        + " (" + first.control.describe() + "), " + role
                : first.control.owns(candidate) + ", so " + first.file + ", " + role + ", is " + first.control.ownerName(candidate)
                        + "'s word, not root's";
        return account(candidate, why, first.control);
    }

    /** The flag file's directory is not root's alone: act as its owner, or as {@code $RUN_USER} if that user can change it. */
    private Decision forDirectory(Path directory, PathControl control) {
        String subject = directory + ", the flag file's directory";
        Accounts.Account hint = hint();
        if (hint != null) {
            if (!control.includes(hint.uid, accounts.groupIds(hint))) {
                return Decision.refused("as root, this would run as " + hint.name + " (" + RUN_USER + "), who cannot"
                        + " change " + subject + " (" + control.describe() + "). Nothing was changed. Set "
                        + RUN_USER + " to the user Tomcat runs as, or " + byHand(null));
            }
            return Decision.as(hint, RUN_USER + " is " + hint.name + ", who can change " + subject + " ("
                    + control.describe() + "), and root does not write there itself");
        }
        boolean writes = WRITERS.contains(verb);
        if (control.owners().size() == 1) {
            int owner = control.owners().iterator().next();
            String where = control.owns(owner) + (control.owned(owner).equals(directory) ? ", the flag file's directory"
                    : ", on the way to " + subject);
            return account(owner, where + (writes ? ", and root does not write where another user can change things"
                    : ": it reads what that user writes, and asks that user's Tomcat"), control);
        }
        if (!writes) {
            return Decision.ROOT;
        }
        if (control.owners().isEmpty()) {
            return Decision.refused("as root, the flag file is not changed in " + subject + ": a group or everyone,"
                    + " not one user, can change it (" + control.describe() + "), so root cannot tell whom to act as."
                    + " Nothing was changed. Set " + RUN_USER + " to the user Tomcat runs as (" + RUN_USER
                    + "=<tomcat-user> java -jar maintenance-valve.jar " + verb + " ...), or " + byHand(null));
        }
        return Decision.refused("as root, the flag file is not changed in " + subject + ": more than one user can"
                + " change it (" + control.describe() + "), so root will not choose whom to act as: one could steer"
                + " what is done as the other. Nothing was changed. " + capitalised(byHand(null)));
    }

    /** Acts as the user with this id, if the system knows it. */
    private Decision account(int uid, String why, PathControl control) {
        Accounts.Account account = accounts.byUid(uid);
        if (account == null) {
            return Decision.refused("as root, this would run as " + control.ownerName(uid) + " (" + why + "), but uid "
                    + uid + " has no entry in /etc/passwd, so its groups are unknown. Nothing was changed. "
                    + capitalised(byHand(uid)));
        }
        return Decision.as(account, why);
    }

    /** Whether no user but {@code uid} (and root) can change what {@code control} describes. */
    private boolean onlyBy(PathControl control, int uid) {
        if (control.everyone() != null) {
            return false;
        }
        for (Integer owner : control.owners()) {
            if (owner != uid) {
                return false;
            }
        }
        for (Integer gid : control.groups()) {
            for (Accounts.Account member : accounts.members(gid)) {
                if (member.uid != uid && member.uid != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private String name(int uid, PathControl control) {
        Accounts.Account account = accounts.byUid(uid);
        return account != null ? account.name : control.ownerName(uid);
    }

    /** {@code $RUN_USER}, when it names a known user other than root. */
    private Accounts.Account hint() {
        String name = env.get(RUN_USER);
        if (name == null || name.trim().isEmpty()) {
            return null;
        }
        Accounts.Account account = accounts.byName(name.trim());
        return account == null || account.uid == 0 ? null : account;
    }

    /** How to run it as the right user by hand, from a root shell without sudo. */
    private String byHand(Integer uid) {
        String command = "java -jar maintenance-valve.jar " + verb + " ...";
        if (uid != null) {
            return "run it as that user yourself: setpriv --reuid=" + uid + " --regid=<its group id> --clear-groups "
                    + command;
        }
        return "run it as the user Tomcat runs as yourself: setpriv --reuid=<tomcat-user> --regid=<its group>"
                + " --init-groups " + command + " (or sudo -u <tomcat-user> ..., su -s /bin/sh -c '...' <tomcat-user>).";
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
