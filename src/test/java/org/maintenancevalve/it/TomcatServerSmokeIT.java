package org.maintenancevalve.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The harness itself, on the four real Tomcat distributions, without the maintenance valve: the
 * sample app answers, JMX works, shutdown is real, a base can be started again, and a Tomcat that
 * cannot start is reported with its log.
 */
class TomcatServerSmokeIT {

    static List<String> versions() {
        return TomcatServer.versions();
    }

    @ParameterizedTest(name = "Tomcat {0}")
    @MethodSource("versions")
    void servesTheSampleAppAnswersJmxAndShutsDownForReal(String version) throws Exception {
        try (TomcatServer tomcat = TomcatServer.builder(version).name("smoke").installJar(false).start()) {
            int port = tomcat.httpPort();

            assertApp(Http.get(port, "/"), "text/html");
            assertApp(Http.get(port, "/index.html"), "text/html");
            Http.Response serverInfo = assertApp(Http.get(port, "/rest/api/2/serverInfo"), "application/json");
            assertTrue(serverInfo.body().contains("\"SAMPLE-APP\""), serverInfo::toString);
            Http.Response status = assertApp(Http.get(port, "/status"), "application/json");
            assertTrue(status.body().contains("\"state\":\"RUNNING\""), status::toString);
            assertApp(Http.get(port, "/s/app.css"), "text/css");

            Http.Response slow = assertApp(Http.get(port, "/slow.jsp?ms=100"), "text/plain");
            assertTrue(slow.body().contains("SAMPLE-APP slow done"), slow::toString);

            Http.Response get = assertApp(Http.get(port, "/echo.jsp?a=1&b=%3Cx%3E"), "text/html");
            assertEquals("echo", get.header("X-Sample-App"), get::toString);
            assertTrue(get.body().contains("SAMPLE-APP method=GET path=/echo.jsp query=a=1&amp;b=%3Cx%3E"),
                    get::toString);
            Http.Response post = assertApp(Http.requestWithBody("POST", port, "/echo.jsp?p=2", "x=y",
                    "Content-Type", "application/x-www-form-urlencoded"), "text/html");
            assertEquals("echo", post.header("X-Sample-App"), post::toString);
            assertTrue(post.body().contains("method=POST path=/echo.jsp query=p=2"), post::toString);
            // Jasper answers these with 405; the app's 405 error page echoes them with 200.
            for (String method : List.of("PUT", "DELETE", "PATCH")) {
                Http.Response r = assertApp(Http.requestWithBody(method, port, "/echo.jsp?m=" + method, "body"),
                        "text/html");
                assertEquals("echo", r.header("X-Sample-App"), r::toString);
                assertTrue(r.body().contains("method=" + method + " path=/echo.jsp query=m=" + method),
                        r::toString);
            }

            // The app's own 404 carries the marker too.
            Http.Response missing = Http.get(port, "/no/such/page");
            assertEquals(404, missing.status(), missing::toString);
            assertTrue(missing.body().contains("SAMPLE-APP error 404"), missing::toString);

            // Raw requests reach Tomcat unchanged.
            Http.Response raw = RawHttp.get(port, "/;jsessionid=x/echo.jsp?raw=1");
            assertEquals(200, raw.status(), raw::toString);
            assertTrue(raw.body().contains("SAMPLE-APP method=GET path=/;jsessionid=x/echo.jsp query=raw=1"),
                    raw::toString);

            Object info = tomcat.jmx().getAttribute(new ObjectName("Catalina:type=Server"), "serverInfo");
            assertEquals("Apache Tomcat/" + version, info);

            int exitCode = tomcat.stop();
            assertFalse(tomcat.isAlive(), "the Tomcat JVM has exited");
            assertEquals(0, exitCode, () -> "exit code\n" + tomcat.logTail(40));
            assertTrue(tomcat.log().contains("A valid shutdown command was received via the shutdown port"),
                    tomcat::log);
            assertThrows(RuntimeException.class, () -> Http.get(port, "/"), "nothing listens any more");
        }
    }

    @ParameterizedTest(name = "Tomcat {0}")
    @MethodSource("versions")
    void startsAgainOnTheSameBaseAndServesEveryConnector(String version) {
        Path base;
        try (TomcatServer first = TomcatServer.builder(version).name("restart").installJar(false)
                .extraConnectors(1).start()) {
            assertEquals(2, first.httpPorts().size());
            assertNotEquals(first.httpPort(0), first.httpPort(1));
            assertApp(Http.get(first.httpPort(0), "/"), "text/html");
            assertApp(Http.get(first.httpPort(1), "/echo.jsp"), "text/html");
            assertEquals(0, first.stop());
            base = first.baseDir();
        }

        try (TomcatServer second = TomcatServer.builder(version).baseDir(base).installJar(false).start()) {
            assertEquals(base, second.baseDir());
            Http.Response r = assertApp(Http.get(second.httpPort(), "/echo.jsp?again=1"), "text/html");
            assertTrue(r.body().contains("query=again=1"), r::toString);
            assertEquals(1, count(second.log(), "Server startup in"), "log() shows this run only");
            assertEquals(0, second.stop());
        }
        assertEquals(2, count(read(base.resolve("logs/catalina.out")), "Server startup in"),
                "catalina.out keeps both runs");
    }

    @ParameterizedTest(name = "Tomcat {0}")
    @MethodSource("versions")
    void reportsATomcatThatCannotStart(String version) {
        // The valve named in server.xml, but its jar not installed: Tomcat cannot read server.xml.
        TomcatServer.Builder broken = TomcatServer.builder(version).name("broken").installJar(false)
                .valve(TomcatServer.Level.HOST, "");

        IllegalStateException failure = assertThrows(IllegalStateException.class, broken::start);
        assertTrue(failure.getMessage().contains(TomcatServer.VALVE_CLASS), failure::getMessage);
        assertTrue(failure.getMessage().contains("catalina.out"), failure::getMessage);

        try (TomcatServer tomcat = TomcatServer.builder(version).name("broken").installJar(false)
                .valve(TomcatServer.Level.HOST, "").startExpectingFailure()) {
            String line = tomcat.waitForLog("ClassNotFoundException.*" + Pattern.quote(TomcatServer.VALVE_CLASS),
                    Duration.ofSeconds(30));
            assertTrue(line.contains(TomcatServer.VALVE_CLASS), line);
            assertNotEquals(0, tomcat.waitForExit(Duration.ofSeconds(30)), tomcat::log);
            assertFalse(tomcat.isAlive());
        }
    }

    private static Http.Response assertApp(Http.Response r, String contentType) {
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.body().contains("SAMPLE-APP"), r::toString);
        String type = r.header("Content-Type");
        assertTrue(type != null && type.startsWith(contentType), r::toString);
        return r;
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
