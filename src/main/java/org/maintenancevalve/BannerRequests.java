package org.maintenancevalve;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.maintenancevalve.access.AdmittedBy;
import org.maintenancevalve.banner.BannerEndpoints;
import org.maintenancevalve.banner.BannerPath;
import org.maintenancevalve.gate.Gate;
import org.maintenancevalve.response.MaintenanceAnswer;

import java.io.IOException;

/**
 * {@code status.json} and {@code banner.js}: answered by the valve in every state, to anyone,
 * never passed on and never counted as blocked or admitted. An error in our code (a
 * {@code LinkageError} too, as in {@link DuringMaintenance}) gives an empty {@code 503}.
 */
final class BannerRequests {

    private final BannerEndpoints banner = new BannerEndpoints();
    private final RequestPathErrors errors;

    BannerRequests(RequestPathErrors errors) {
        this.errors = errors;
    }

    void answer(BannerPath.Endpoint endpoint, Gate gate, Request request, Response response) throws IOException {
        if (response.isError()) {
            return; // Tomcat rejected the request itself: keep its answer
        }
        try {
            if (endpoint == BannerPath.Endpoint.SCRIPT) {
                banner.answerScript(request, response);
                return;
            }
            long now = System.currentTimeMillis();
            AdmittedBy way = gate.isOpen() ? null : wayInFor(gate, request, now);
            banner.answerStatus(request, response, gate.state(), gate.isOpen() || way != null, way, now);
        } catch (RuntimeException | LinkageError e) {
            errors.report("answering " + endpoint.fileName() + "; it gets an empty 503", e);
            if (!response.isCommitted()) {
                response.reset();
                response.setStatus(MaintenanceAnswer.STATUS);
                response.setHeader("Cache-Control", "no-store");
                response.setContentLength(0);
            }
        }
    }

    /** The way this browser's changes would pass by, asked without side effects; null if none. */
    private AdmittedBy wayInFor(Gate gate, Request request, long nowMillis) {
        try {
            return gate.policy().admit(new StatusProbeFacts(request), nowMillis / 1000);
        } catch (RuntimeException | LinkageError e) {
            errors.report("working out status.json's \"admitted\"; it says false", e);
            return null;
        }
    }
}
