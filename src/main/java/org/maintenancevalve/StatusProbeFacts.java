package org.maintenancevalve;

import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.connector.Request;

import java.io.IOException;

/**
 * A {@code status.json} request as the rules see the browser that sent it, asked without side
 * effects: the session is looked up without touching it (Tomcat's {@code getSessionInternal}
 * marks a session as accessed, which would keep an idle session alive for as long as a tab
 * polls). No session is created, no cookie is issued, no way in is counted: the caller only
 * reports whether the browser is inside.
 */
final class StatusProbeFacts extends CatalinaRequestFacts {

    StatusProbeFacts(Request request) {
        super(request);
    }

    @Override
    public String sessionUser(String attribute) {
        String id = request.getRequestedSessionId();
        Context context = request.getContext();
        Manager manager = context == null ? null : context.getManager();
        if (id == null || manager == null) {
            return null;
        }
        Session session;
        try {
            session = manager.findSession(id);
        } catch (IOException | IllegalStateException e) {
            return null;
        }
        return userOf(session, attribute);
    }
}
