package org.maintenancevalve.response;

import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;

/** Chooses between the JSON answer (for REST and script clients) and the HTML page (for people). */
public final class ContentNegotiation {

    private static final HeaderBytes.Token JSON = new HeaderBytes.Token("application/json");
    private static final HeaderBytes.Token HTML = new HeaderBytes.Token("text/html");

    private ContentNegotiation() {
    }

    /**
     * @param accept        the {@code Accept} header as Tomcat holds it, or {@code null}
     * @param requestedWith the {@code X-Requested-With} header as Tomcat holds it, or {@code null}
     * @param path          the decoded path relative to the context
     * @return whether the client should get JSON
     */
    public static boolean wantsJson(MessageBytes accept, MessageBytes requestedWith, String path) {
        if (path != null && (path.startsWith("/rest/") || path.equals("/rest"))) {
            return true;
        }
        if (requestedWith != null && requestedWith.equalsIgnoreCase("XMLHttpRequest")) {
            return true;
        }
        ByteChunk text = HeaderBytes.of(accept);
        if (text == null) {
            return false;
        }
        // A browser that lists HTML first wants the page; "application/json, text/html" wants JSON.
        // Looking for HTML first means a browser's header is read only as far as "text/html".
        int html = HTML.indexIn(text);
        return JSON.indexIn(text, html < 0 ? text.getLength() : html) >= 0;
    }

    /** {@link #wantsJson(MessageBytes, MessageBytes, String)} for header values held as Strings. */
    public static boolean wantsJson(String accept, String requestedWith, String path) {
        return wantsJson(HeaderBytes.of(accept), HeaderBytes.of(requestedWith), path);
    }
}
