package org.maintenancevalve;

import org.apache.catalina.Container;
import org.apache.catalina.Engine;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.ajp.AbstractAjpProtocol;

/**
 * The connector a request's socket arrived on: what {@code adminPort} is compared with. Tomcat's
 * "local port" of a request is not it: behind AJP it is the {@code server_port} of the front end's
 * message (Apache's mod_jk fills it from the port in the client's own {@code Host} header), and a
 * RemoteIpValve with {@code changeLocalPort} sets it from a header.
 */
final class ArrivalConnector {

    private static final Connector[] NONE = new Connector[0];

    private ArrivalConnector() {
    }

    /**
     * The connector's port as configured in server.xml; the port it bound when configured as
     * {@code 0}; {@code -1} when there is no connector or no port (a Unix domain socket).
     * {@code getPort()} reads a field (8.5) or the protocol handler's (9.0 and later): no lock, no
     * allocation. (A Server {@code portOffset} is not added: {@code getPortWithOffset()} is missing
     * from older 8.5 releases, and server.xml, which {@code check} reads, has the port without it.)
     */
    static int portOf(Connector connector) {
        if (connector == null) {
            return -1;
        }
        int port = connector.getPort();
        return port == 0 ? connector.getLocalPort() : port;
    }

    /** Whether the connector speaks AJP: its users are whoever the front end forwards. */
    static boolean isAjp(Connector connector) {
        return connector.getProtocolHandler() instanceof AbstractAjpProtocol;
    }

    /** The connectors of the Service the container is in (none outside an Engine). */
    static Connector[] ofServiceOf(Container container) {
        Container c = container;
        while (c != null && !(c instanceof Engine)) {
            c = c.getParent();
        }
        Service service = c == null ? null : ((Engine) c).getService();
        return service == null ? NONE : service.findConnectors();
    }
}
