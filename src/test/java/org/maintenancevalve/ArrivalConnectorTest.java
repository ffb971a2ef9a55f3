package org.maintenancevalve;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.core.StandardService;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin port is the connector the socket arrived on, on Tomcat's own objects: never the local
 * port a front end reports (AJP's {@code server_port}, RemoteIpValve's {@code changeLocalPort}).
 */
class ArrivalConnectorTest {

    private static Connector connector(String protocol, int port) {
        Connector connector = new Connector(protocol);
        connector.setPort(port);
        return connector;
    }

    /** A request on that connector whose local port a front end has set, as Tomcat's AJP processor does. */
    private static Request arrivingOn(Connector connector, int reportedPort) {
        Request request = connector.createRequest();
        org.apache.coyote.Request coyote = new org.apache.coyote.Request();
        coyote.setLocalPort(reportedPort);
        request.setCoyoteRequest(coyote);
        return request;
    }

    @Test
    void theConnectorsPortCountsNotTheReportedLocalPort() {
        Request request = arrivingOn(connector("AJP/1.3", 8009), 8081);
        assertEquals(8081, request.getLocalPort(), "what the front end named");
        assertEquals(8009, new CatalinaRequestFacts(request).connectorPort());

        Request direct = arrivingOn(connector("HTTP/1.1", 8081), 8081);
        assertEquals(8081, new CatalinaRequestFacts(direct).connectorPort());
        Request rewritten = arrivingOn(connector("HTTP/1.1", 8080), 8081); // RemoteIpValve changeLocalPort
        assertEquals(8080, new CatalinaRequestFacts(rewritten).connectorPort());
    }

    @Test
    void aConnectorConfiguredWithPortZeroIsKnownByThePortItBound() throws Exception {
        Connector connector = connector("HTTP/1.1", 0);
        connector.setProperty("address", InetAddress.getLoopbackAddress().getHostAddress());
        connector.init(); // binds the socket (bindOnInit)
        try {
            int bound = connector.getLocalPort();
            assertTrue(bound > 0, "bound to " + bound);
            assertEquals(bound, ArrivalConnector.portOf(connector));
            assertEquals(bound, new CatalinaRequestFacts(arrivingOn(connector, 8081)).connectorPort());
        } finally {
            connector.destroy();
        }
    }

    @Test
    void noConnectorOrNoPortIsNoPort() {
        assertEquals(-1, ArrivalConnector.portOf(null));
        assertEquals(-1, ArrivalConnector.portOf(connector("HTTP/1.1", -1)));
    }

    @Test
    void ajpConnectorsAreToldApart() {
        assertTrue(ArrivalConnector.isAjp(connector("AJP/1.3", 8009)));
        assertTrue(ArrivalConnector.isAjp(connector("org.apache.coyote.ajp.AjpNio2Protocol", 8009)));
        assertFalse(ArrivalConnector.isAjp(connector("HTTP/1.1", 8080)));
        assertFalse(ArrivalConnector.isAjp(connector("org.apache.coyote.http11.Http11Nio2Protocol", 8080)));
    }

    @Test
    void theConnectorsAreThoseOfTheServiceAtAnyLevel() {
        StandardService service = new StandardService();
        StandardEngine engine = new StandardEngine();
        service.setContainer(engine);
        StandardHost host = new StandardHost();
        host.setParent(engine);
        StandardContext context = new StandardContext();
        context.setParent(host);
        Connector http = connector("HTTP/1.1", 8080);
        Connector ajp = connector("AJP/1.3", 8009);
        service.addConnector(http);
        service.addConnector(ajp);
        for (org.apache.catalina.Container level : new org.apache.catalina.Container[] {engine, host, context}) {
            assertArrayEquals(new Connector[] {http, ajp}, ArrivalConnector.ofServiceOf(level), level.toString());
        }
        assertEquals(0, ArrivalConnector.ofServiceOf(new StandardHost()).length, "a Host in no Engine");
        assertEquals(0, ArrivalConnector.ofServiceOf(null).length);
    }
}
