package org.maintenancevalve.harness;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.session.StandardSession;
import org.apache.tomcat.util.http.Rfc6265CookieProcessor;
import org.maintenancevalve.MaintenanceValve;
import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.access.BypassLink;
import org.maintenancevalve.access.BypassSecret;
import org.maintenancevalve.gate.Gate;
import org.maintenancevalve.gate.Gatekeeper;
import org.maintenancevalve.response.MaintenanceAnswer;
import org.maintenancevalve.response.PageLanguage;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Tomcat world around the valve, built from Tomcat's own classes without starting a server:
 * a Connector (not started), Host {@code localhost}, the ROOT Context (path {@code ""}, like Jira)
 * with a StandardManager holding two logged-in sessions, and the valve itself, started for real
 * (its lifecycle registers it in JMX and starts its flag file watcher).
 */
public final class Fixture implements AutoCloseable {

    public static final String USER_SESSION = "5E2A1C9B7D3F40A1B2C3D4E5F6A7B8C9";
    public static final String ADMIN_SESSION = "A1B2C3D4E5F60718293A4B5C6D7E8F90";
    public static final String BYPASS_SECRET = "s3cr3t-bypass-for-the-benchmark-0123";
    public static final String ALLOWED_ADDRESS = "10.1.2.3";
    public static final int ADMIN_PORT = 8081;

    /** The valve's configuration. */
    public enum Config {
        /** Only a flag file: everybody is blocked. */
        MINIMAL,
        /** A Jira setup with every way through configured. */
        JIRA
    }

    public final Connector connector = new Connector("HTTP/1.1");
    public final StandardHost host = new StandardHost();
    public final StandardContext context = new StandardContext();
    public final StandardManager manager = new StandardManager();
    public final Path dir;

    private MaintenanceValve valve;

    public Fixture() {
        connector.setPort(8080); // RequestSpec's default port: a request arrives on this connector
        host.setName("localhost");
        context.setName("");
        context.setPath("");
        context.setCookieProcessor(new Rfc6265CookieProcessor());
        context.setParent(host);
        context.setManager(manager);
        session(USER_SESSION, "jdoe");
        session(ADMIN_SESSION, "admin");
        try {
            dir = Files.createTempDirectory("maintenance-valve-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void session(String id, String user) {
        StandardSession session = new StandardSession(manager);
        session.setValid(true);
        session.setCreationTime(System.currentTimeMillis());
        session.setMaxInactiveInterval(30 * 60);
        session.setId(id, false);
        session.setAttribute(AccessConfig.DEFAULT_SESSION_USER_ATTRIBUTE, new User(user), false);
    }

    /** Starts a valve with {@code config} in front of {@code next}; maintenance is off. */
    public MaintenanceValve startValve(Config config, Valve next) {
        return startValve(v -> {
            v.setPollInterval("1000");
            if (config == Config.JIRA) {
                v.setPreset("jira");
                v.setAllow(ALLOWED_ADDRESS + ", 192.168.0.0/24, ::1");
                v.setAdminPort(String.valueOf(ADMIN_PORT));
                v.setAdminUsers("admin, jira-admin");
                v.setBypassSecret(BYPASS_SECRET);
            }
        }, next);
    }

    /**
     * Starts a valve configured by {@code attributes} (its flag file is {@link #flag()} unless they
     * say otherwise) in front of {@code next}, in Host {@code localhost}, as Tomcat starts it.
     *
     * @throws IllegalStateException with the {@link LifecycleException} as its cause, when it does not start
     */
    public MaintenanceValve startValve(Consumer<MaintenanceValve> attributes, Valve next) {
        MaintenanceValve v = new MaintenanceValve();
        v.setFlagFile(flag().toString());
        attributes.accept(v);
        v.setContainer(host);
        v.setNext(next);
        valve = v;
        try {
            v.init();
            v.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
        return v;
    }

    /** The flag file the valves of this fixture watch. */
    public Path flag() {
        return dir.resolve("maintenance.flag");
    }

    /**
     * A bypass cookie value as the valve issues it now: for the secret and the maintenance window
     * in force (read from its published gate), for the ROOT context.
     */
    public static String bypassCookie(MaintenanceValve valve) {
        BypassSecret secret = gate(valve).policy().bypass();
        return secret.issue("", System.currentTimeMillis() / 1000);
    }

    public static String bypassCookieName() {
        return BypassLink.NAME;
    }

    /**
     * The HTML page the valve renders for the state in force (read from its published gate): the
     * English page, with the Retry-After it would send now, exactly as a request without
     * Accept-Language gets it.
     */
    public static String renderedPage(MaintenanceValve valve) {
        MaintenanceAnswer answer = gate(valve).answer();
        return answer.page(PageLanguage.ENGLISH).withRetryAfter(answer.retryAfterSeconds(System.currentTimeMillis()));
    }

    /** The gate the valve has published (its Gatekeeper is private: the valve's JMX view is its API). */
    static Gate gate(MaintenanceValve valve) {
        try {
            Field field = MaintenanceValve.class.getDeclaredField("gatekeeper");
            field.setAccessible(true);
            return ((Gatekeeper) field.get(valve)).gate();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (valve != null) {
            try {
                valve.stop();
                valve.destroy();
            } catch (LifecycleException e) {
                throw new IllegalStateException(e);
            }
            valve = null;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    /** The webapp's user object: the valve may only use it as a {@link Principal}. */
    static final class User implements Principal, Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;

        User(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
