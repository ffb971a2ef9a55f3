package org.maintenancevalve.jmxclient;

import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.files.IoErrors;
import org.maintenancevalve.files.SecretFile;

import javax.management.remote.JMXConnector;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * How the command line logs in to a JMX port that asks for a user and password: the user from
 * {@code --jmx-user} (else {@code $MAINTENANCE_JMX_USER}), the password from the first line of the
 * file {@code --jmx-password-file} names (a file the caller's alone, see {@link SecretFile}), else
 * from {@code $MAINTENANCE_JMX_PASSWORD}. Never from the command line itself: every local user can
 * read a process's arguments, not its environment or a file of mode 600.
 */
public final class JmxLogin {

    public static final String USER_OPTION = "--jmx-user";
    public static final String PASSWORD_FILE_OPTION = "--jmx-password-file";
    public static final String USER_VARIABLE = "MAINTENANCE_JMX_USER";
    public static final String PASSWORD_VARIABLE = "MAINTENANCE_JMX_PASSWORD";

    /** No login: for a port without authentication (and the local attach, which needs none). */
    public static final JmxLogin NONE = new JmxLogin(null, null, null);

    /** The lines a verb's --help shows for the options. */
    public static final String USAGE = ""
            + "  --jmx-user NAME      log in to the JMX port as NAME (default: $" + USER_VARIABLE + ")\n"
            + "  --jmx-password-file FILE  NAME's password: the first line of FILE, which must be yours\n"
            + "                       alone (mode 600) (default: $" + PASSWORD_VARIABLE + ")\n";

    private final String user;
    private final String password;
    private final Path passwordFile;

    private JmxLogin(String user, String password, Path passwordFile) {
        this.user = user;
        this.password = password;
        this.passwordFile = passwordFile;
    }

    /** Declares {@code --jmx-user} and {@code --jmx-password-file} on a verb. */
    public static Args.Spec options(Args.Spec spec) {
        return spec.values(USER_OPTION, PASSWORD_FILE_OPTION);
    }

    /** From the environment alone (for a verb without the options). */
    public static JmxLogin fromEnvironment(Map<String, String> env) {
        String user = nonEmpty(env.get(USER_VARIABLE));
        if (user == null) {
            return NONE;
        }
        String password = env.get(PASSWORD_VARIABLE);
        return new JmxLogin(user, password == null ? "" : password, null);
    }

    /**
     * From the options, else the environment.
     *
     * @throws UsageException for a password file without a user, a user given without a password,
     *                        or a password file that cannot be used (why, and the fix)
     */
    public static JmxLogin from(Args args, Map<String, String> env) throws UsageException {
        if (!args.given(USER_OPTION) && !args.given(PASSWORD_FILE_OPTION)) {
            return fromEnvironment(env);
        }
        String user = args.given(USER_OPTION) ? nonEmpty(args.value(USER_OPTION)) : nonEmpty(env.get(USER_VARIABLE));
        if (user == null) {
            throw new UsageException(args.given(USER_OPTION) ? USER_OPTION + " needs a user name"
                    : PASSWORD_FILE_OPTION + " needs the user it is the password of: " + USER_OPTION + " NAME (or $"
                    + USER_VARIABLE + ")");
        }
        if (!args.given(PASSWORD_FILE_OPTION)) {
            String password = env.get(PASSWORD_VARIABLE);
            if (password == null) {
                throw new UsageException(USER_OPTION + " " + user + ": give its password with " + PASSWORD_FILE_OPTION
                        + " FILE (or $" + PASSWORD_VARIABLE + "), never on the command line");
            }
            return new JmxLogin(user, password, null);
        }
        Path file;
        try {
            file = Paths.get(args.value(PASSWORD_FILE_OPTION).trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(PASSWORD_FILE_OPTION + ": '" + args.value(PASSWORD_FILE_OPTION) + "' is not a path");
        }
        try {
            return new JmxLogin(user, SecretFile.firstLine(file), file);
        } catch (SecretFile.NotPrivate e) {
            throw new UsageException(PASSWORD_FILE_OPTION + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UsageException(PASSWORD_FILE_OPTION + ": cannot read it: " + IoErrors.describe(e));
        }
    }

    private static String nonEmpty(String value) {
        return value == null || value.trim().isEmpty() ? null : value.trim();
    }

    /** Whether a user (and so a password) was given. */
    public boolean given() {
        return user != null;
    }

    /** The user, or null. */
    public String user() {
        return user;
    }

    /**
     * The options that log in the same way, for a command the admin may copy (never the password
     * itself: with the variable, nothing is added).
     */
    public String asOptions() {
        if (user == null) {
            return "";
        }
        return passwordFile == null ? "" : " " + USER_OPTION + " " + user + " " + PASSWORD_FILE_OPTION + " " + passwordFile;
    }

    /** The connector's environment: the credentials when there are. */
    Map<String, Object> environment() {
        if (user == null) {
            return Collections.emptyMap();
        }
        Map<String, Object> environment = new HashMap<>();
        environment.put(JMXConnector.CREDENTIALS, new String[] {user, password});
        return environment;
    }
}
