package org.maintenancevalve.jmxclient;

import java.security.Security;

/**
 * The deserialisation filter (JEP 290) of the command line's JVM. A JMX client over RMI deserialises
 * whatever the port's owner sends back, and the command line, often run as root, connects to ports
 * it does not control ({@code --jmx}, the port {@code check} reads from setenv.sh). So it reads only
 * the classes a JMX client needs, found by running every command against real Tomcats: the stubs,
 * {@code ObjectName}, the boxed numbers, strings and collections of the answers, the exceptions of a
 * failed call or login (with their stack traces), and the leases of RMI's garbage collector; within
 * limits of depth, references, bytes and array length. Anything else is refused before it is built.
 * <p>
 * Set through the system property {@value #PROPERTY} before anything deserialises (Java 8u121 and
 * later, 9 and later read it when the filter configuration is first used); a filter the admin set
 * (the property, or {@code jdk.serialFilter} in {@code java.security}) is left as it is.
 */
public final class SerialFilter {

    public static final String PROPERTY = "jdk.serialFilter";

    /** What a JMX client reads, and nothing else ({@code !*}). */
    public static final String PATTERN = "maxdepth=20;maxrefs=100000;maxbytes=10000000;maxarray=100000"
            + ";java.lang.*;java.util.*"
            + ";java.rmi.*;java.rmi.server.*;java.rmi.dgc.*"
            + ";javax.management.*;javax.management.openmbean.*;javax.management.remote.*;javax.management.remote.rmi.*"
            + ";javax.security.auth.login.*;java.security.GeneralSecurityException"
            + ";!*";

    /** Where Java 9+ and Java 8u121+ keep the process-wide filter. */
    private static final String[] CONFIGS = {"java.io.ObjectInputFilter$Config", "sun.misc.ObjectInputFilter$Config"};

    private static volatile String missing;

    private SerialFilter() {
    }

    /**
     * Puts the filter in force for this JVM. Call it first thing in {@code main}.
     *
     * @return {@code null} when a filter is in force (this one, or the admin's), else why not
     */
    public static synchronized String install() {
        if (System.getProperty(PROPERTY) == null && Security.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, PATTERN);
        }
        return putInForce(PATTERN, CONFIGS);
    }

    /**
     * Makes sure the process-wide filter is in force: asking for it makes Java read the property;
     * when its configuration was read earlier, without it, the filter is set directly.
     *
     * @param configs where the filter configuration may be, in order
     * @return {@code null} when a filter is in force, else why not (also kept for {@link #missing()})
     */
    static synchronized String putInForce(String pattern, String[] configs) {
        missing = null;
        for (String name : configs) {
            Class<?> config;
            try {
                config = Class.forName(name);
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            try {
                if (config.getMethod("getSerialFilter").invoke(null) == null) {
                    // The configuration was read before the property was set: set the filter itself.
                    Class<?> filter = Class.forName(name.substring(0, name.lastIndexOf('$')));
                    Object created = config.getMethod("createFilter", String.class).invoke(null, pattern);
                    config.getMethod("setSerialFilter", filter).invoke(null, created);
                }
                return null;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                missing = "cannot set a deserialization filter in this Java (" + System.getProperty("java.version") + "): "
                        + (e.getCause() != null ? e.getCause() : e) + "; check -D" + PROPERTY;
                return missing;
            }
        }
        missing = "this Java (" + System.getProperty("java.version") + ") has no deserialization filter (JEP 290, Java"
                + " 8u121 or later), and a JMX port's owner could make it run code: run the command with a newer Java";
        return missing;
    }

    /**
     * Why this JVM would read a JMX port's answers without a filter, or {@code null}: when the
     * filter is in force, or when {@link #install()} has not run (the command line run in a test's JVM).
     */
    static String missing() {
        return missing;
    }

    /** Forgets what {@link #putInForce} found (for tests). */
    static synchronized void forget() {
        missing = null;
    }
}
