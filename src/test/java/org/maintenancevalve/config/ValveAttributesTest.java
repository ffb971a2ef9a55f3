package org.maintenancevalve.config;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.MaintenanceValve;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one parser of each attribute, and the valve using it: what {@link ValveAttributes} refuses
 * is exactly what stops the valve (server.xml) and what JMX refuses.
 */
class ValveAttributesTest {

    @TempDir
    Path tmp;

    /** Values the valve must refuse, with the reason it gives. */
    private static final String[][] BAD = {
            {"allow", "localhost", "allow=\"localhost\": \"localhost\" is not an IP address or CIDR block"},
            {"allow", "300.1.1.1", "allow=\"300.1.1.1\": \"300.1.1.1\" is not an IP address or CIDR block"},
            {"allow", "10.1.2.0/33", "allow=\"10.1.2.0/33\": \"10.1.2.0/33\" has a prefix length outside 0-32"},
            {"adminPort", "70000", "adminPort=\"70000\": \"70000\" is not a port number (1-65535)"},
            {"adminPort", "http", "adminPort=\"http\": \"http\" is not a port number (1-65535)"},
            {"preset", "bamboo", "preset=\"bamboo\": must be none, jira or confluence"},
            {"pollInterval", "5", "pollInterval=\"5\": must be a whole number from 10 to 3600000"},
            {"pollInterval", "1s", "pollInterval=\"1s\": must be a whole number from 10 to 3600000"},
            {"retryAfter", "0", "retryAfter=\"0\": must be a whole number from 1 to 604800"},
            {"sessionUserAttribute", " ", "sessionUserAttribute=\" \": must name a session attribute"},
            {"bypassSecret", "short", "bypassSecret=\"(hidden)\": "},
            {"flagFile", "bad\u0000name", "flagFile=\"bad\\u0000name\": not a valid path (Nul character not allowed)"},
            {"template", "bad\u0000name", "template=\"bad\\u0000name\": not a valid path (Nul character not allowed)"},
            {"bannerPath", "maintenance-valve", "bannerPath=\"maintenance-valve\": must be \"off\" or a path that starts"
                    + " and ends with /"},
            {"bannerPath", "/a/../b/", "bannerPath=\"/a/../b/\": must be \"off\" or a path"},
            {"pauseIncomingMail", "yes", "pauseIncomingMail=\"yes\": must be auto, off, full or full-and-read-only"},
            {"pauseIncomingMail", "read-only", "pauseIncomingMail=\"read-only\": must be auto, off, full or"},
    };

    /** Values the valve takes. */
    private static final String[][] GOOD = {
            {"allow", "10.1.2.3, 192.168.0.0/24, ::1"},
            {"adminPort", "8081,8082"},
            {"adminUsers", "admin, ops"},
            {"allowPaths", "/status, /s/"},
            {"preset", "Jira"},
            {"pollInterval", "10"},
            {"retryAfter", "604800"},
            {"sessionUserAttribute", "user"},
            {"bypassSecret", "a-long-enough-secret-0123"},
            {"template", "conf/maintenance.html"},
            {"bannerPath", "/ops/mv/"},
            {"bannerPath", "OFF"},
            {"pauseIncomingMail", " Full-And-Read-Only "},
    };

    @Test
    void theClassNameIsTheValves() {
        assertEquals(MaintenanceValve.class.getName(), ValveAttributes.CLASS_NAME);
    }

    @Test
    void everyAttributeIsASetterOfTheValveAndEverySetterIsAnAttribute() throws Exception {
        List<String> setters = new ArrayList<>();
        for (Method m : MaintenanceValve.class.getDeclaredMethods()) {
            if (m.getName().startsWith("set") && m.getParameterCount() == 1
                    && m.getParameterTypes()[0] == String.class && java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
                setters.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        List<String> attributes = new ArrayList<>();
        ValveAttributes.all().forEach(a -> attributes.add(a.name()));
        setters.sort(null);
        attributes.sort(null);
        assertEquals(setters, attributes);
        for (String name : attributes) {
            assertTrue(ValveAttributes.isKnown(name), name);
        }
        assertTrue(ValveAttributes.isKnown("className"));
        assertTrue(ValveAttributes.isKnown("asyncSupported"));
        assertFalse(ValveAttributes.isKnown("allowPath"), "a typo is not an attribute");
        assertFalse(ValveAttributes.isKnown("Allow"), "names are case-sensitive, as in Tomcat");
    }

    @Test
    void problemNamesAttributeValueAndReason() {
        for (String[] bad : BAD) {
            String problem = ValveAttributes.problem(bad[0], bad[1]);
            assertNotNull(problem, bad[0] + "=" + bad[1]);
            assertTrue(problem.startsWith(bad[2]), problem);
        }
        for (String[] good : GOOD) {
            assertNull(ValveAttributes.problem(good[0], good[1]), good[0] + "=" + good[1]);
        }
        assertFalse(ValveAttributes.problem("bypassSecret", "short").contains("short"), "a secret is never shown");
        assertNull(ValveAttributes.problem("noSuchAttribute", "x"), "not the valve's to refuse");
    }

    @Test
    void pathsResolveAgainstCatalinaBaseAsTheValveDoes() {
        Path base = Paths.get("/opt/jira");
        assertEquals(Paths.get("/opt/jira/maintenance.flag"), ValveAttributes.flagFile(null, base));
        assertEquals(Paths.get("/opt/jira/maintenance.flag"), ValveAttributes.flagFile("  ", base));
        assertEquals(Paths.get("/opt/jira/x/m.flag"), ValveAttributes.flagFile("x/../x/m.flag", base));
        assertEquals(Paths.get("/shared/m.flag"), ValveAttributes.flagFile("/shared/m.flag", base));
        assertEquals(Paths.get("/opt/jira/conf/maintenance.html"), ValveAttributes.template("conf/maintenance.html", base));
    }

    // ------------------------------------------------------------ the valve uses it

    @Test
    void eachValueTheParserRefusesStopsTheValveNamingIt() throws Exception {
        for (String[] bad : BAD) {
            MaintenanceValve valve = valve();
            set(valve, bad[0], bad[1]);
            LifecycleException refused = assertThrows(LifecycleException.class, () -> start(valve), bad[0] + "=" + bad[1]);
            assertTrue(refused.getMessage().contains(ValveAttributes.problem(bad[0], bad[1])), refused.getMessage());
            stop(valve);
        }
    }

    @Test
    void theValuesItTakesStartTheValve() throws Exception {
        MaintenanceValve valve = valve();
        for (String[] good : GOOD) {
            set(valve, good[0], good[1]);
        }
        start(valve);
        try {
            assertEquals("10.1.2.3, 192.168.0.0/24, ::1", valve.getAllow());
            assertEquals(10, valve.getPollInterval());
            assertEquals(604800, valve.getRetryAfter());
            assertEquals("jira", valve.getPreset());
            assertEquals("full-and-read-only", valve.getPauseIncomingMail());
        } finally {
            stop(valve);
        }
    }

    @Test
    void jmxSettersRefuseWhatTheParserRefusesAndChangeNothing() throws Exception {
        MaintenanceValve valve = valve();
        valve.setAllow("10.0.0.1");
        start(valve);
        try {
            for (String bad : new String[] {"localhost", "300.1.1.1", "10.1.2.0/33"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> valve.setAllow(bad));
                assertEquals(ValveAttributes.problem("allow", bad), e.getMessage());
                assertEquals("10.0.0.1", valve.getAllow(), "unchanged");
            }
            assertThrows(IllegalArgumentException.class, () -> valve.setSessionUserAttribute(""));
            assertEquals("seraph_defaultauthenticator_user", valve.getSessionUserAttribute(), "unchanged");
            valve.setAllow("10.0.0.2");
            assertEquals("10.0.0.2", valve.getAllow());
        } finally {
            stop(valve);
        }
    }

    private MaintenanceValve valve() {
        MaintenanceValve valve = new MaintenanceValve();
        valve.setFlagFile(tmp.resolve("maintenance.flag").toString());
        StandardHost host = new StandardHost();
        host.setName("localhost");
        valve.setContainer(host);
        return valve;
    }

    private static void set(MaintenanceValve valve, String attribute, String value) throws Exception {
        String setter = "set" + Character.toUpperCase(attribute.charAt(0)) + attribute.substring(1);
        MaintenanceValve.class.getMethod(setter, String.class).invoke(valve, value);
    }

    private static void start(MaintenanceValve valve) throws LifecycleException {
        valve.init();
        valve.start();
    }

    private static void stop(MaintenanceValve valve) throws LifecycleException {
        valve.stop();
        valve.destroy();
    }
}
