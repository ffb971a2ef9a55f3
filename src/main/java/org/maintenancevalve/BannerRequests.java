package org.maintenancevalve;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.maintenancevalve.access.AdmissionCounts;
import org.maintenancevalve.banner.BannerEndpoints;
import org.maintenancevalve.banner.BannerPath;
import org.maintenancevalve.gate.Gate;
import org.maintenancevalve.response.MaintenanceAnswer;

import java.io.IOException;

/**
 * {@code status.json} and {@code banner.js}: answered by the valve in every state, to anyone,
 * never passed on and never counted as blocked or admitted. While maintenance is in force,
 * {@code status.json} says whether this browser is inside (a boolean, not by which way) and is
 * counted on its own ({@link AdmissionCounts#countStatusAnswer()}). An error in our code (a
 * {@code LinkageError} too, as in {@link DuringMaintenance}) gives an empty {@code 503}.
 */
final class BannerRequests {

    private final BannerEndpoints banner = new BannerEndpoints();
    private final AdmissionCounts counts;
    private final RequestPathErrors errors;

    BannerRequests(AdmissionCounts counts, RequestPathErrors errors) {
        this.counts = counts;
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
            boolean admitted = gate.isOpen() || isInside(gate, request, now);
            banner.answerStatus(request, response, gate.state(), admitted, now);
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

    /**
     * Whether this browser is inside: the admin port, its address, a bypass cookie or an admin's
     * session lets it in ({@code AccessPolicy.admitsClient}), asked without side effects. Counted,
     * so that someone asking over and over to guess a way in shows.
     */
    private boolean isInside(Gate gate, Request request, long nowMillis) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            return false; // answered 405 without a body: nothing asked, nothing counted
        }
        counts.countStatusAnswer();
        try {
            return gate.policy().admitsClient(new StatusProbeFacts(request), nowMillis / 1000);
        } catch (RuntimeException | LinkageError e) {
            errors.report("working out status.json's \"admitted\"; it says false", e);
            return false;
        }
    }
}
