package org.maintenancevalve;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.maintenancevalve.access.AdmissionCounts;
import org.maintenancevalve.access.AdmittedBy;
import org.maintenancevalve.access.BypassLink;
import org.maintenancevalve.access.BypassSecret;
import org.maintenancevalve.gate.Gate;
import org.maintenancevalve.gate.Gatekeeper;
import org.maintenancevalve.response.BypassAnswer;

import java.io.IOException;

/**
 * What the valve does with a request while maintenance is in force: a bypass link with the right
 * secret gets its cookie and a {@code 303}; a request the rules admit goes on, counted by its way;
 * every other one gets the maintenance answer, counted as blocked. An error in our code never lets
 * a request in: it is logged (at most once a minute) and the request is blocked.
 * <p>
 * A {@code LinkageError} (a class that fails to load or link, say of the web application's user
 * principal while it reloads) is handled like a {@code RuntimeException}: it is not the JVM's
 * health, and the request still gets a {@code 503} rather than a {@code 500}. Other {@code Error}s
 * (out of memory, stack overflow) are left to Tomcat, which logs them and answers {@code 500}:
 * they are not ours to swallow, and they cannot let the request in either, since a request goes
 * on only when {@link #letsThrough} returns {@code true}.
 */
final class DuringMaintenance {

    private final Gatekeeper gatekeeper;
    private final AdmissionCounts counts;
    private final RequestPathErrors errors;
    private final BypassAnswer bypassAnswer = new BypassAnswer();

    DuringMaintenance(Gatekeeper gatekeeper, RequestPathErrors errors) {
        this.gatekeeper = gatekeeper;
        this.counts = gatekeeper.counts();
        this.errors = errors;
    }

    /**
     * @return whether the request goes on to the application; {@code false} when it has been
     *         answered here (a bypass link's {@code 303}, the maintenance answer) or Tomcat has
     *         already answered it with an error
     */
    boolean letsThrough(Gate gate, Request request, Response response) throws IOException {
        if (response.isError()) {
            // Tomcat rejected the request itself (an invalid URI, say) and only passes it along
            // for logging: keep its 400, and let nothing of it reach the application.
            return false;
        }
        if (answeredBypassLink(gate, request, response)) {
            counts.countAdmitted(AdmittedBy.BYPASS);
            return false;
        }
        CatalinaRequestFacts facts = new CatalinaRequestFacts(request);
        AdmittedBy way = admission(gate, facts);
        if (way != null) {
            counts.countAdmitted(way);
            return true;
        }
        counts.countBlocked();
        block(gate, facts, response);
        return false;
    }

    /** The way the request may pass by, or {@code null}; an error in our code blocks it. */
    private AdmittedBy admission(Gate gate, CatalinaRequestFacts facts) {
        try {
            return gate.policy().admit(facts, System.currentTimeMillis() / 1000);
        } catch (RuntimeException | LinkageError e) {
            errors.report("deciding whether a request may pass; it is blocked", e);
            return null;
        }
    }

    /**
     * A GET with the right {@code ?maintenance-bypass=<secret>} gets the bypass cookie and a
     * {@code 303} ({@link BypassAnswer}). A wrong secret is treated like any request.
     */
    private boolean answeredBypassLink(Gate gate, Request request, Response response) {
        BypassSecret secret = gate.policy().bypass();
        String query = request.getQueryString();
        if (secret == null || !BypassLink.mayHoldLink(query) || !"GET".equals(request.getMethod())) {
            return false;
        }
        try {
            if (!secret.matches(BypassLink.secretIn(query))) {
                return false;
            }
            String contextPath = CatalinaRequestFacts.contextPathOf(request);
            bypassAnswer.writeTo(request, response, secret.issue(contextPath, System.currentTimeMillis() / 1000),
                    contextPath);
            return true;
        } catch (RuntimeException | LinkageError e) {
            errors.report("answering a bypass link; it gets the maintenance answer", e);
            return false;
        }
    }

    private void block(Gate gate, CatalinaRequestFacts facts, Response response) throws IOException {
        Request request = facts.request;
        try {
            gate.answer().writeTo(response, request.getCoyoteRequest().getMimeHeaders(), facts.path(),
                    "HEAD".equals(request.getMethod()), System.currentTimeMillis());
        } catch (RuntimeException | LinkageError e) {
            errors.report("writing the maintenance answer; sending the plain one", e);
            if (!response.isCommitted()) {
                response.reset();
                gatekeeper.fallbackAnswer().writeTo(response, false, false, System.currentTimeMillis());
            }
        }
    }
}
