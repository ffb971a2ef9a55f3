package org.maintenancevalve.config;

import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.banner.BannerPrefix;
import org.maintenancevalve.files.RelativePath;
import org.maintenancevalve.mail.PauseIncomingMail;
import org.maintenancevalve.state.AuditLine;
import org.maintenancevalve.state.FlagPath;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The attributes of the valve's {@code <Valve>} element and the one parser of each. The valve's
 * setters (from server.xml and from JMX), the installer and the {@code check} command all parse
 * through here, so a value one of them accepts is a value the valve starts with.
 * <p>
 * Tomcat-free: the command line loads this class without Tomcat on the class path.
 * <p>
 * <b>Adding an attribute</b> is one line below: {@link #value} for a setting of the valve (its
 * parser returns what the valve keeps), or {@link #access} for a way through (its parser is an
 * {@code AccessConfig.with...}); then the valve's setter calls it, and {@code check} and the
 * installer know it at once.
 */
public final class ValveAttributes {

    /** The {@code className} of the valve's element in server.xml. */
    public static final String CLASS_NAME = "org.maintenancevalve.MaintenanceValve";

    private static final Map<String, Attribute> BY_NAME = new LinkedHashMap<>();

    // ------------------------------------------------------------ the attributes, one line each

    public static final Value<String> FLAG_FILE = value("flagFile", ValveAttributes::flagFilePath);
    public static final Value<Long> POLL_INTERVAL = value("pollInterval", v -> wholeNumber(v, 10, 3_600_000));
    public static final Value<Integer> RETRY_AFTER = value("retryAfter", v -> (int) wholeNumber(v, 1, 604_800));
    public static final Value<String> TEMPLATE = value("template", ValveAttributes::templatePath);
    public static final Value<String> BANNER_PATH = value("bannerPath", BannerPrefix::parse);
    public static final Value<PauseIncomingMail> PAUSE_INCOMING_MAIL =
            value("pauseIncomingMail", PauseIncomingMail::parse);
    public static final Access ALLOW = access("allow", AccessConfig::withAllow);
    public static final Access ADMIN_PORT = access("adminPort", AccessConfig::withAdminPort);
    public static final Access ADMIN_USERS = access("adminUsers", AccessConfig::withAdminUsers);
    public static final Access ALLOW_PATHS = access("allowPaths", AccessConfig::withAllowPaths);
    public static final Access PRESET = access("preset", AccessConfig::withPreset);
    public static final Access READ_ONLY_READS = access("readOnlyReads", AccessConfig::withReadOnlyReads);
    public static final Access BYPASS_SECRET = secretAccess("bypassSecret", AccessConfig::withBypassSecret);
    public static final Access SESSION_USER_ATTRIBUTE =
            access("sessionUserAttribute", AccessConfig::withSessionUserAttribute);

    /** What every Tomcat valve takes besides its own attributes (Digester's and {@code ValveBase}'s). */
    private static final Set<String> TOMCAT_OWN = Collections.unmodifiableSet(
            new HashSet<>(Arrays.asList("className", "asyncSupported", "domain")));

    private ValveAttributes() {
    }

    // ------------------------------------------------------------ looking attributes up

    /** Every attribute of the valve, in the order of the configuration reference. */
    public static Collection<Attribute> all() {
        return Collections.unmodifiableCollection(BY_NAME.values());
    }

    /** The valve's attribute of that name (case matters, as in Tomcat), or {@code null}. */
    public static Attribute named(String name) {
        return BY_NAME.get(name);
    }

    /**
     * Whether Tomcat sets an attribute of that name on the valve: the valve's own, or one every
     * valve has ({@code className}, {@code asyncSupported}, {@code domain}). Tomcat ignores any
     * other, with a warning in its log.
     */
    public static boolean isKnown(String name) {
        return BY_NAME.containsKey(name) || TOMCAT_OWN.contains(name);
    }

    /**
     * Why the valve would refuse to start with this value, as it logs it
     * ({@code pollInterval="5": must be a whole number from 10 to 3600000}), or {@code null} when
     * it takes it. Names the valve does not have are not its to refuse: {@code null}.
     */
    public static String problem(String name, String value) {
        Attribute attribute = BY_NAME.get(name);
        if (attribute == null) {
            return null;
        }
        try {
            attribute.check(value);
            return null;
        } catch (IllegalArgumentException e) {
            return attribute.problem(value, e.getMessage());
        }
    }

    // ------------------------------------------------------------ paths, resolved as the valve does

    /**
     * The absolute flag file a {@code flagFile} value means ({@link FlagPath#DEFAULT_NAME} when it
     * is empty or not given), a relative path resolved against {@code catalinaBase}.
     *
     * @throws IllegalArgumentException when the valve would refuse the value
     */
    public static Path flagFile(String value, Path catalinaBase) {
        return FlagPath.resolve(FLAG_FILE.parse(value), catalinaBase);
    }

    /**
     * The absolute template file a {@code template} value means, a relative path resolved against
     * {@code catalinaBase}; {@code null} (the built-in page) when it is empty or not given.
     *
     * @throws IllegalArgumentException when the valve would refuse the value
     */
    public static Path template(String value, Path catalinaBase) {
        String path = TEMPLATE.parse(value);
        return path == null ? null : RelativePath.resolve(path, catalinaBase);
    }

    // ------------------------------------------------------------ the kinds of attribute

    /** One attribute: its name and its parser. */
    public abstract static class Attribute {
        private final String name;
        private final boolean secret;

        Attribute(String name, boolean secret) {
            this.name = name;
            this.secret = secret;
        }

        public final String name() {
            return name;
        }

        /** Whether its value is a secret, never to be shown or logged. */
        public final boolean isSecret() {
            return secret;
        }

        /** Returns when the valve takes the value; else throws, with the reason for the admin. */
        public abstract void check(String value);

        /**
         * {@code name="value": reason}, the way the valve logs a refusal: the value quoted and
         * escaped as every logged value is ({@link AuditLine#quote}); a secret shows as {@code "(hidden)"}.
         */
        public final String problem(String value, String reason) {
            return name + "=" + AuditLine.quote(secret ? "(hidden)" : value) + ": " + reason;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A setting of the valve: the parser gives the value the valve keeps. */
    public static final class Value<T> extends Attribute {
        private final Function<String, T> parser;

        Value(String name, Function<String, T> parser) {
            super(name, false);
            this.parser = parser;
        }

        /** @throws IllegalArgumentException with the reason, when the valve would refuse the value */
        public T parse(String value) {
            return parser.apply(value);
        }

        @Override
        public void check(String value) {
            parse(value);
        }
    }

    /** A way through: parsed by the matching {@code AccessConfig.with...}. */
    public static final class Access extends Attribute {
        private final BiFunction<AccessConfig, String, AccessConfig> change;

        Access(String name, boolean secret, BiFunction<AccessConfig, String, AccessConfig> change) {
            super(name, secret);
            this.change = change;
        }

        /**
         * @return {@code config} with this attribute set to {@code value}
         * @throws IllegalArgumentException with the reason, when the valve would refuse the value
         */
        public AccessConfig applyTo(AccessConfig config, String value) {
            return change.apply(config, value);
        }

        @Override
        public void check(String value) {
            applyTo(AccessConfig.NONE, value);
        }
    }

    private static <T> Value<T> value(String name, Function<String, T> parser) {
        return define(new Value<>(name, parser));
    }

    private static Access access(String name, BiFunction<AccessConfig, String, AccessConfig> change) {
        return define(new Access(name, false, change));
    }

    /** A way through whose value is a secret: never shown in a message. */
    private static Access secretAccess(String name, BiFunction<AccessConfig, String, AccessConfig> change) {
        return define(new Access(name, true, change));
    }

    private static <A extends Attribute> A define(A attribute) {
        if (BY_NAME.put(attribute.name(), attribute) != null) {
            throw new IllegalStateException("attribute " + attribute.name() + " defined twice");
        }
        return attribute;
    }

    // ------------------------------------------------------------ the parsers

    private static long wholeNumber(String value, long min, long max) {
        String trimmed = value == null ? "" : value.trim();
        try {
            long parsed = Long.parseLong(trimmed);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
    }

    /** The trimmed path; empty for the default. */
    private static String flagFilePath(String value) {
        String trimmed = value == null ? "" : value.trim();
        requirePath(trimmed);
        return trimmed;
    }

    /** The trimmed path, or {@code null} (the built-in page) when empty. */
    private static String templatePath(String value) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.isEmpty()) {
            return null;
        }
        requirePath(trimmed);
        return trimmed;
    }

    private static void requirePath(String path) {
        try {
            Paths.get(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path (" + e.getReason() + ")", e);
        }
    }
}
