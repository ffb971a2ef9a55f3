package org.maintenancevalve.response;

import java.util.Locale;

/** Chooses between the JSON answer (for REST and script clients) and the HTML page (for people). */
public final class ContentNegotiation {

    private ContentNegotiation() {
    }

    /**
     * @param accept        the {@code Accept} header, or {@code null}
     * @param requestedWith the {@code X-Requested-With} header, or {@code null}
     * @param path          the decoded path relative to the context
     * @return whether the client should get JSON
     */
    public static boolean wantsJson(String accept, String requestedWith, String path) {
        if (path != null && (path.startsWith("/rest/") || path.equals("/rest"))) {
            return true;
        }
        if (requestedWith != null && requestedWith.equalsIgnoreCase("XMLHttpRequest")) {
            return true;
        }
        if (accept == null) {
            return false;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        int json = lower.indexOf("application/json");
        if (json < 0) {
            return false;
        }
        // A browser that lists HTML first wants the page; "application/json, text/html" wants JSON.
        int html = lower.indexOf("text/html");
        return html < 0 || json < html;
    }
}
