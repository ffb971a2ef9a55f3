package org.maintenancevalve.cli;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.state.AuditLine;
import org.maintenancevalve.files.IoErrors;
import org.maintenancevalve.files.SecretFile;
import org.maintenancevalve.jmxclient.JmxLogin;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs this command line again as another user ({@link ActingUser} chooses whom), as
 * {@code sudo -u jira java -jar ...} would: the same java ({@code java.home}) and the same jar, through
 * util-linux's {@code setpriv --reuid --regid --init-groups} (or {@code runuser -u} where there is no
 * setpriv), with a small environment of its own ({@link #PASSED}). Its exit code is this one's.
 * <p>
 * The new process must not be able to reach back into root's terminal: a process of that user (its
 * Tomcat, say) may attach to or trace a process of the same user, and from a process whose
 * controlling terminal is root's it could push keystrokes into root's shell ({@code TIOCSTI}). So it
 * starts in a session of its own ({@code setsid}: it keeps the terminal as its input and output,
 * but not as its controlling terminal) with the JVM's attach mechanism off. Ctrl-C, SIGTERM and
 * SIGHUP reach this process, which passes each on to it ({@code run} then ends its window as it
 * always does).
 */
final class AsUser {

    /**
     * The environment variables the commands read, passed on as they are; nothing else of root's
     * environment is (root's secrets stay with root). The one list: a variable a command starts to
     * read goes here.
     */
    static final List<String> PASSED = Collections.unmodifiableList(Arrays.asList(
            "MAINTENANCE_FLAG", "CATALINA_HOME", "CATALINA_BASE", "CATALINA_PID", "JAVA_HOME",
            JmxLogin.USER_VARIABLE, JmxLogin.PASSWORD_VARIABLE,
            "PATH", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TERM", "HOSTNAME"));

    /** The signals passed on to the new process. */
    private static final List<String> SIGNALS = Arrays.asList("INT", "TERM", "HUP");

    /** How long the new process may take to end once told to (run's own grace time, and its window's end). */
    private static final long STOP_MILLIS = CommandProcess.GRACE_MILLIS + 20_000;

    /** Where util-linux puts its tools: fixed places, not root's PATH. */
    static final class Tools {
        final Path setsid;
        final Path setpriv;
        final Path runuser;

        Tools(Path setsid, Path setpriv, Path runuser) {
            this.setsid = setsid;
            this.setpriv = setpriv;
            this.runuser = runuser;
        }

        static Tools system() {
            return new Tools(first("/usr/bin/setsid", "/bin/setsid"), first("/usr/bin/setpriv", "/bin/setpriv"),
                    first("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"));
        }

        private static Path first(String... candidates) {
            for (String candidate : candidates) {
                Path path = Paths.get(candidate);
                if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                    return path;
                }
            }
            return null;
        }
    }

    private final List<String> command;
    private final Map<String, String> environment;
    private final String how;

    private AsUser(List<String> command, Map<String, String> environment, String how) {
        this.command = command;
        this.environment = environment;
        this.how = how;
    }

    /**
     * Everything needed to run {@code args} as {@code account}, checked: nothing is started yet.
     *
     * @param args the whole command line (the verb first)
     * @throws Refused when it cannot be done safely: no setsid, no setpriv nor runuser, not started
     *                 from the jar, or a java or jar that user cannot read
     */
    static AsUser prepare(Accounts.Account account, Set<Integer> groupIds, List<String> args, Map<String, String> env,
            Path java, Path jar, Tools tools) throws Refused {
        String byHand = "Run it as " + account.name + " yourself: setpriv --reuid=" + account.uid + " --regid="
                + account.gid + " --init-groups " + java + " -jar " + (jar == null ? "maintenance-valve.jar" : jar)
                + " " + args.get(0) + " ... (or sudo -u " + account.name + ", su -s /bin/sh -c '...' " + account.name + ").";
        if (jar == null) {
            throw new Refused("as root, this would run as " + account + ", but it was not started from the"
                    + " maintenance-valve jar (java -jar maintenance-valve-<version>.jar), so there is no jar to run"
                    + " again as that user. " + byHand);
        }
        if (tools.setsid == null || tools.setpriv == null && tools.runuser == null) {
            throw new Refused("as root, this would run as " + account + ", but util-linux's "
                    + (tools.setsid == null ? "setsid" : "setpriv and runuser") + " cannot be found (in /usr/bin,"
                    + " /bin, /usr/sbin, /sbin). " + byHand);
        }
        for (Path file : Arrays.asList(java, jar)) {
            String problem = unreadable(file, account.uid, groupIds, file == java);
            if (problem != null) {
                throw new Refused("as root, this would run as " + account + ", who cannot " + (file == java
                        ? "run " + java + " (" + problem + "): use a java that user can run"
                        : "read the jar " + jar + " (" + problem + "): put the jar where " + account.name
                                + " can read it, e.g. the Tomcat's lib/ where install puts it, and run that one")
                        + ". Nothing was changed.");
            }
        }
        List<String> command = new ArrayList<>();
        command.add(tools.setsid.toString());
        command.add("--wait");
        String how;
        if (tools.setpriv != null) {
            command.addAll(Arrays.asList(tools.setpriv.toString(), "--reuid=" + account.uid, "--regid=" + account.gid,
                    "--init-groups", "--"));
            how = "setpriv";
        } else {
            command.addAll(Arrays.asList(tools.runuser.toString(), "-u", account.name, "--"));
            how = "runuser";
        }
        // Nobody may attach to it: a process of that user could otherwise run code in it.
        command.addAll(Arrays.asList(java.toString(), "-XX:+DisableAttachMechanism", "-jar", jar.toString()));
        Map<String, String> environment = environment(env, account);
        command.addAll(handOverPasswordFile(args, environment));
        return new AsUser(command, environment, how + ", with this java and jar, in a session of its own");
    }

    /**
     * The arguments without {@code --jmx-password-file FILE}, whose password root reads now (with
     * the same rules as when it logs in itself) and hands over in {@code $MAINTENANCE_JMX_PASSWORD}:
     * the file is root's alone (mode 600), so the other user could not read it, and a password is
     * never put on a command line. Only the options before {@code run}'s {@code --} are looked at.
     */
    static List<String> handOverPasswordFile(List<String> args, Map<String, String> environment) throws Refused {
        List<String> kept = new ArrayList<>();
        String file = null;
        boolean options = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (options && arg.equals("--")) {
                options = false;
            } else if (options && arg.equals(JmxLogin.PASSWORD_FILE_OPTION) && i + 1 < args.size()) {
                file = args.get(++i);
                continue;
            } else if (options && arg.startsWith(JmxLogin.PASSWORD_FILE_OPTION + "=")) {
                file = arg.substring(JmxLogin.PASSWORD_FILE_OPTION.length() + 1);
                continue;
            }
            kept.add(arg);
        }
        if (file != null) {
            try {
                environment.put(JmxLogin.PASSWORD_VARIABLE, SecretFile.firstLine(Paths.get(file.trim()).toAbsolutePath()));
            } catch (IOException | RuntimeException e) {
                throw new Refused(JmxLogin.PASSWORD_FILE_OPTION + " " + AuditLine.quote(file) + ": " + IoErrors.reason(e)
                        + ". Nothing was changed.");
            }
        }
        return kept;
    }

    /** The new process's environment: {@link #PASSED} from root's, and the user's own HOME, USER, LOGNAME and SHELL. */
    static Map<String, String> environment(Map<String, String> env, Accounts.Account account) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String name : PASSED) {
            String value = env.get(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.put("HOME", account.home);
        environment.put("USER", account.name);
        environment.put("LOGNAME", account.name);
        environment.put("SHELL", account.shell);
        return environment;
    }

    /** The command that will run, for tests and messages. */
    List<String> command() {
        return Collections.unmodifiableList(command);
    }

    Map<String, String> environment() {
        return Collections.unmodifiableMap(environment);
    }

    /** How it is run, for the line saying so: {@code setpriv, with this java and jar, ...}. */
    String how() {
        return how;
    }

    /** This java: {@code java.home/bin/java}. */
    static Path java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }

    /** The jar this code runs from, or {@code null} when it does not run from a jar (the classes of a build). */
    static Path jar() {
        try {
            CodeSource source = AsUser.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            Path path = Paths.get(source.getLocation().toURI());
            return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar") ? path : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Why the user cannot read (and, with {@code execute}, run) {@code file}, from the permission
     * bits of the file and of every directory on the way to it; {@code null} when it can.
     */
    static String unreadable(Path file, int uid, Set<Integer> groupIds, boolean execute) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return IoErrors.describe(e);
        }
        List<Path> directories = new ArrayList<>();
        for (Path p = real.getParent(); p != null; p = p.getParent()) {
            directories.add(0, p);
        }
        try {
            for (Path directory : directories) {
                if (!allowed(directory, uid, groupIds, 1)) {
                    return "it cannot enter " + directory;
                }
            }
            if (!allowed(real, uid, groupIds, execute ? 5 : 4)) {
                return "the file's permissions do not let it " + (execute ? "run it" : "read it");
            }
        } catch (IOException e) {
            return IoErrors.describe(e);
        }
        return null;
    }

    /** Whether the owner, group or other bits that apply to this user (in that order, as the kernel picks) allow {@code need} (r=4, w=2, x=1). */
    private static boolean allowed(Path path, int uid, Set<Integer> groupIds, int need) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int bits = uid == (Integer) a.get("uid") ? mode >> 6 : groupIds.contains((Integer) a.get("gid")) ? mode >> 3 : mode;
        return (bits & need) == need;
    }

    /**
     * Starts it, passes Ctrl-C, SIGTERM and SIGHUP on to it, and waits until it ends.
     *
     * @return its exit code (128+N when signal N ended it)
     */
    int run() throws Refused {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new Refused("cannot start " + command.get(0) + ": " + IoErrors.reason(e) + "; nothing was changed", e);
        }
        Thread hook = new Thread(() -> stopAndExitAsIt(process), "maintenance-valve: stop the command run as another user");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String signal : SIGNALS) {
            passOn(signal, process);
        }
        while (true) {
            try {
                int code = process.waitFor();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook exits with this code too
                }
                return code;
            } catch (InterruptedException e) {
                // nobody interrupts this thread; a stop comes as a signal, passed on
            }
        }
    }

    /**
     * Passes {@code signal} on to the process instead of ending this JVM ({@code sun.misc.Signal},
     * reached by reflection: it is not part of Java SE). Where that is not possible, the shutdown
     * hook tells the process to stop.
     */
    private static void passOn(String signal, Process process) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            InvocationHandler forward = (proxy, method, arguments) -> {
                if (method.getName().equals("handle")) {
                    send(signal, process);
                    return null;
                }
                if (method.getName().equals("equals")) {
                    return proxy == arguments[0];
                }
                return method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "pass on SIG" + signal;
            };
            Object handler = Proxy.newProxyInstance(AsUser.class.getClassLoader(), new Class<?>[] {handlerClass}, forward);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            handle.invoke(null, signalClass.getConstructor(String.class).newInstance(signal), handler);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // The JVM's own handling stays: it shuts down, and the hook stops the process.
        }
    }

    /** {@code kill -s SIGNAL pid}, by the shell's own kill (procps may be missing from an image). */
    private static void send(String signal, Process process) {
        try {
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " " + pid(process))
                    .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroy();
        }
    }

    /** {@code Process.pid()} (Java 9+: the jar is built for Java 8), or from the JDK 8 field. */
    private static long pid(Process process) throws IOException {
        try {
            return (Long) Process.class.getMethod("pid").invoke(process);
        } catch (ReflectiveOperationException e) {
            try {
                java.lang.reflect.Field field = process.getClass().getDeclaredField("pid");
                field.setAccessible(true);
                return field.getInt(process);
            } catch (ReflectiveOperationException | RuntimeException e2) {
                throw new IOException("no pid for " + process, e2);
            }
        }
    }

    /** This JVM is shutting down while the process runs: tell it to stop, wait, and exit as it did. */
    private static void stopAndExitAsIt(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (process.waitFor(STOP_MILLIS, TimeUnit.MILLISECONDS)) {
                Runtime.getRuntime().halt(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
