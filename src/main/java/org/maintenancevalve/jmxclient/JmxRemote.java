package org.maintenancevalve.jmxclient;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;

/**
 * A connection to Tomcat's JMX remote port ({@code HOST:PORT}, the RMI registry's {@code jmxrmi}
 * entry) as the command line makes it: with the {@link JmxLogin}, and only while this JVM filters
 * what it deserialises ({@link SerialFilter}): a JMX client reads objects the port's owner chooses.
 */
public final class JmxRemote {

    private JmxRemote() {
    }

    /** The port answered but refused the login (or asked for one); the message says how to give one. */
    public static final class LoginFailed extends IOException {
        private static final long serialVersionUID = 1L;

        LoginFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Not connected: this JVM has no deserialisation filter ({@link SerialFilter}). */
    public static final class Unfiltered extends IOException {
        private static final long serialVersionUID = 1L;

        Unfiltered(String message) {
            super(message);
        }
    }

    /**
     * Connects.
     *
     * @param hostPort {@code host:port} or {@code [ipv6]:port}
     * @throws IOException with a message an admin can act on: the port does not answer, it asks for
     *                     a password (and how to give one), the login failed, or this JVM has no filter
     */
    public static JMXConnector connect(String hostPort, JmxLogin login) throws IOException {
        String unfiltered = SerialFilter.missing();
        if (unfiltered != null) {
            throw new Unfiltered(unfiltered);
        }
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + hostPort + "/jmxrmi");
        try {
            return JMXConnectorFactory.connect(url, login.environment());
        } catch (SecurityException e) {
            throw new LoginFailed(loginFailed(e.getMessage(), login), e);
        }
    }

    /** A refused login in words, with the way to give one. */
    static String loginFailed(String message, JmxLogin login) {
        if (login.given()) {
            return message + " (as JMX user " + login.user() + ")";
        }
        return message + ": the port asks for a user and password: give " + JmxLogin.USER_OPTION + " NAME and "
                + JmxLogin.PASSWORD_FILE_OPTION + " FILE (or set " + JmxLogin.USER_VARIABLE + " and "
                + JmxLogin.PASSWORD_VARIABLE + ")";
    }
}
