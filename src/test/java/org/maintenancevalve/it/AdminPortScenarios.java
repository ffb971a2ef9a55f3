package org.maintenancevalve.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code adminPort} is the connector the socket arrived on, never a port the client, a front end or
 * a header names (issue 21): one real Tomcat in full maintenance with a user HTTP connector, an admin
 * HTTP connector, an AJP connector a front end would use, a second AJP connector listed in
 * {@code adminPort}, and a RemoteIpValve that rewrites the local port from {@code X-Forwarded-Port}
 * for 127.0.0.1. The AJP requests come from a raw AJP13 client ({@link Ajp13}) and say the client is
 * 198.51.100.7; the valve's {@code allow} is empty. Subclasses name the Tomcat line.
 */
abstract class AdminPortScenarios extends TomcatScenarios {

    /** What the application serves: a file and a REST-like JSP. */
    private static final List<String> PATHS = List.of("/index.html", "/rest/api/2/serverInfo");

    AdminPortScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void startTomcatInMaintenance() throws IOException {
        startTomcat("adminport", "adminport-flags", POLL_MILLIS, "adminPort=\"${it.httpPort.1}, ${it.ajpPort.1}\"",
                builder -> builder.extraConnectors(1).ajpConnectors(2)
                        .hostValveXml("<Valve className=\"org.apache.catalina.valves.RemoteIpValve\""
                                + " internalProxies=\"127\\.0\\.0\\.1\" protocolHeader=\"X-Forwarded-Proto\""
                                + " portHeader=\"X-Forwarded-Port\" changeLocalPort=\"true\"/>"));
        Files.write(flag, new byte[0]);
        Await.until(TOGGLE_DEADLINE, "maintenance on", () -> get("/index.html").status() == 503);
    }

    private int adminPort() {
        return tomcat.httpPort(1);
    }

    /** The AJP connector a front end forwards every user through: not in adminPort. */
    private Http.Response userAjp(Ajp13.Forward request) {
        return Ajp13.send(tomcat.ajpPort(0), request);
    }

    private static boolean appAnswered(Http.Response response) {
        return response.body().contains("SAMPLE-APP");
    }

    private static void assertBlocked(Http.Response response, String what) {
        assertEquals(503, response.status(), what + ": " + response);
        assertFalse(appAnswered(response), what + ": the app answered");
        assertNotNull(response.header("retry-after"), what + ": the valve's answer");
    }

    private static void assertApp(Http.Response response, String what) {
        assertEquals(200, response.status(), what + ": " + response);
        assertTrue(appAnswered(response), what + ": " + response);
    }

    // ------------------------------------------------------------ what a front end names

    @Test
    void anAjpServerPortNamingTheAdminConnectorIsNoWayIn() {
        for (String path : PATHS) {
            Ajp13.Forward modJk = new Ajp13.Forward(path).serverPort(adminPort()).ssl(false)
                    .header("Host", "jira.example.com:" + adminPort());
            assertBlocked(userAjp(modJk), modJk.toString());
            Ajp13.Forward portOnly = new Ajp13.Forward(path).serverPort(adminPort())
                    .header("Host", "jira.example.com");
            assertBlocked(userAjp(portOnly), portOnly.toString());
        }
    }

    @Test
    void aHostHeaderNamingTheAdminPortIsNoWayIn() {
        for (String path : PATHS) {
            Ajp13.Forward ajp = new Ajp13.Forward(path).header("Host", "x:" + adminPort());
            assertBlocked(userAjp(ajp), ajp.toString());
            assertBlocked(get(path, "Host", "x:" + adminPort()), "HTTP " + path + " with Host x:" + adminPort());
        }
    }

    @Test
    void anAbsoluteUriNamingTheAdminPortIsNoWayIn() {
        for (String path : PATHS) {
            String absolute = "http://127.0.0.1:" + adminPort() + path;
            Ajp13.Forward ajp = new Ajp13.Forward(absolute).header("Host", "jira.example.com");
            assertBlocked(userAjp(ajp), ajp.toString());
            // Tomcat takes such a URI over AJP: through the listed AJP connector it reaches the app.
            assertApp(Ajp13.send(tomcat.ajpPort(1), ajp), "the same request through the listed AJP connector");
            assertBlocked(RawHttp.send(tomcat.httpPort(), "GET " + absolute + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + adminPort() + "\r\nConnection: close\r\n\r\n"), "HTTP GET " + absolute);
        }
    }

    @Test
    void aRemoteIpValvePortHeaderNamingTheAdminPortIsNoWayIn() {
        for (String path : PATHS) {
            assertBlocked(get(path, "X-Forwarded-Proto", "http", "X-Forwarded-Port", String.valueOf(adminPort())),
                    "X-Forwarded-Port: " + adminPort() + " through RemoteIpValve changeLocalPort, " + path);
        }
        // The RemoteIpValve does rewrite the local port here: the app sees the header's number.
        Http.Response rewritten = Http.get(adminPort(), "/echo.jsp", "X-Forwarded-Proto", "http",
                "X-Forwarded-Port", "4711");
        assertApp(rewritten, "the admin connector, its local port rewritten");
        assertTrue(rewritten.body().contains("localPort=4711"), rewritten.body());
    }

    // ------------------------------------------------------------ the connector itself

    @Test
    void theAdminConnectorItselfStillPasses() {
        for (String path : PATHS) {
            assertApp(Http.get(adminPort(), path), "the admin HTTP connector, " + path);
            assertBlocked(get(path), "the user HTTP connector, " + path);
        }
    }

    @Test
    void anAjpConnectorListedInAdminPortPassesWhateverItsMessageSays() {
        for (String path : PATHS) {
            Ajp13.Forward forward = new Ajp13.Forward(path).serverPort(443).header("Host", "jira.example.com");
            assertApp(Ajp13.send(tomcat.ajpPort(1), forward), "listed AJP connector, " + forward);
            assertBlocked(userAjp(forward), "the other AJP connector, " + forward);
        }
        // The local port Tomcat reports behind AJP is the message's server_port, not the socket's.
        Http.Response echo = Ajp13.send(tomcat.ajpPort(1), new Ajp13.Forward("/echo.jsp").serverPort(4712));
        assertApp(echo, "echo through the listed AJP connector");
        assertTrue(echo.body().contains("localPort=4712"), echo.body());
    }

    @Test
    void anAjpConnectorInAdminPortIsAWarningAtStartAndInCheck() {
        String line = tomcat.waitForLog("WARN.*MaintenanceValve adminPort " + tomcat.ajpPort(1) + " is an AJP connector",
                TOGGLE_DEADLINE);
        assertTrue(line.contains("every user of that front end passes"), line);
        assertFalse(tomcat.log().contains("adminPort " + tomcat.ajpPort(0) + " is an AJP"), "not listed");
        assertFalse(tomcat.log().contains("adminPort " + adminPort() + " is an AJP"), "an HTTP connector");

        assertEquals(0, cli("check", tomcat.baseDir().toString(), "--catalina-home", tomcat.home().toString()),
                out + err);
        assertTrue(out.contains("WARNING  adminPort " + tomcat.ajpPort(1) + " is an AJP connector"), out);
        assertTrue(out.contains("<Connector port=\"8081\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"/>"), out);
        assertFalse(out.contains("adminPort " + adminPort()), "the admin HTTP connector is fine: " + out);
        assertFalse(out.contains("adminPort " + tomcat.ajpPort(0)), "an AJP connector not listed is fine: " + out);
    }
}
