package org.maintenancevalve.bench;

import org.apache.catalina.Valve;
import org.maintenancevalve.MaintenanceValve;
import org.maintenancevalve.harness.Exchange;
import org.maintenancevalve.harness.Fixture;
import org.maintenancevalve.harness.RequestSpec;
import org.maintenancevalve.harness.Terminal;

import java.io.IOException;

/**
 * One situation the valve meets: its configuration and state, and the request that arrives.
 * {@link #setUp(Fixture)} starts what it needs and returns the first valve of the pipeline;
 * {@link #check} proves after one request that the request went the way the name says.
 */
public enum Scenario {
    /** No maintenance valve at all: what Tomcat's own handling of the request costs here. */
    noValve(null, false, RequestSpec.browser("/secure/Dashboard.jspa", Fixture.USER_SESSION)),
    /** No valve, the REST client's request: the baseline of the JSON cases. */
    noValveRest(null, false, RequestSpec.rest("/rest/api/2/issue/JRA-1234")),
    /** No valve, the health check's request: the baseline of {@link #admitPath}. */
    noValveHealth(null, false, RequestSpec.healthCheck("/status")),
    /** The minimal reference valve: 503 and the same page, nothing else. */
    reference503(null, true, RequestSpec.browser("/secure/Dashboard.jspa", Fixture.USER_SESSION)),
    /** Maintenance off (Jira setup). */
    off(Fixture.Config.JIRA, false, RequestSpec.browser("/secure/Dashboard.jspa", Fixture.USER_SESSION)),
    /** On, no ways through configured; a browser gets the HTML page. */
    blockedHtml(Fixture.Config.MINIMAL, true, RequestSpec.browser("/secure/Dashboard.jspa", Fixture.USER_SESSION)),
    /** On, no ways through configured; a REST client gets JSON. */
    blockedJson(Fixture.Config.MINIMAL, true, RequestSpec.rest("/rest/api/2/issue/JRA-1234")),
    /** On, every way through configured (Jira); a logged-in non-admin browser: every rule is asked. */
    blockedHtmlJira(Fixture.Config.JIRA, true, RequestSpec.browser("/secure/Dashboard.jspa", Fixture.USER_SESSION)),
    /** On, every way through configured (Jira); a REST client without session. */
    blockedJsonJira(Fixture.Config.JIRA, true, RequestSpec.rest("/rest/api/2/issue/JRA-1234")),
    /** Admitted by an allowed address. */
    admitAddress(Fixture.Config.JIRA, false,
            RequestSpec.browser("/secure/Dashboard.jspa", Fixture.USER_SESSION).from(Fixture.ALLOWED_ADDRESS)),
    /** Admitted because it came in on the admin connector's port. */
    admitPort(Fixture.Config.JIRA, false,
            RequestSpec.browser("/secure/Dashboard.jspa", Fixture.USER_SESSION).port(Fixture.ADMIN_PORT)),
    /** Admitted by a bypass cookie (HMAC checked). */
    admitCookie(Fixture.Config.JIRA, false, null),
    /** Admitted by an admin user's session. */
    admitUser(Fixture.Config.JIRA, false, RequestSpec.browser("/secure/Dashboard.jspa", Fixture.ADMIN_SESSION)),
    /** Admitted by an allowed path: the load balancer's health check. */
    admitPath(Fixture.Config.JIRA, false, RequestSpec.healthCheck("/status"));

    private final Fixture.Config config;
    private final boolean blocked;
    private final RequestSpec.Builder request;

    Scenario(Fixture.Config config, boolean blocked, RequestSpec.Builder request) {
        this.config = config;
        this.blocked = blocked;
        this.request = request;
    }

    public RequestSpec request() {
        if (this == admitCookie) {
            throw new IllegalStateException("a bypass cookie belongs to the valve's window: use request(head)");
        }
        return request.build();
    }

    /** The request, for the valve {@link #setUp(Fixture)} returned (a bypass cookie is issued for its window). */
    public RequestSpec request(Valve head) {
        if (this == admitCookie) {
            return RequestSpec.browser("/secure/Dashboard.jspa", Fixture.USER_SESSION)
                    .cookie(Fixture.bypassCookieName(), Fixture.bypassCookie((MaintenanceValve) head)).build();
        }
        return request();
    }

    /** Starts what the scenario needs; returns the first valve of the pipeline. */
    public Valve setUp(Fixture fixture) throws IOException {
        Terminal terminal = new Terminal();
        switch (this) {
            case noValve:
            case noValveRest:
            case noValveHealth:
                return terminal;
            case reference503: {
                // The same page the maintenance valve sends.
                MaintenanceValve valve = fixture.startValve(Fixture.Config.MINIMAL, terminal);
                valve.enable("", 0);
                String page = Fixture.renderedPage(valve);
                fixture.close();
                Reference503Valve reference = new Reference503Valve();
                reference.setBody(page);
                reference.setNext(terminal);
                return reference;
            }
            default: {
                MaintenanceValve valve = fixture.startValve(config, terminal);
                if (this != off) {
                    valve.enable("", 0);
                }
                return valve;
            }
        }
    }

    /** Runs one exchange and fails unless it went the way the scenario's name says. */
    public void check(Valve head, Exchange exchange) throws Exception {
        long before = exchange.bytesWritten();
        exchange.fill();
        head.invoke(exchange.request, exchange.response);
        int status = exchange.status();
        exchange.finish();
        long body = exchange.bytesWritten() - before;
        if (blocked != (status == 503) || blocked != (body > 0)) {
            throw new IllegalStateException(this + ": status " + status + ", body " + body + " bytes");
        }
        if (head instanceof MaintenanceValve) {
            MaintenanceValve valve = (MaintenanceValve) head;
            long expected;
            switch (this) {
                case off: expected = valve.getBlockedCount() + valve.getAdmittedCount(); break;
                case admitAddress: expected = valve.getAdmittedByAddress(); break;
                case admitPort: expected = valve.getAdmittedByPort(); break;
                case admitCookie: expected = valve.getAdmittedByBypass(); break;
                case admitUser: expected = valve.getAdmittedByUser(); break;
                case admitPath: expected = valve.getAdmittedByPath(); break;
                default: expected = valve.getBlockedCount(); break;
            }
            if (expected != (this == off ? 0 : 1)) {
                throw new IllegalStateException(this + ": the valve's counters do not show it ("
                        + "blocked " + valve.getBlockedCount() + ", admitted " + valve.getAdmittedCount() + ")");
            }
        }
    }
}
