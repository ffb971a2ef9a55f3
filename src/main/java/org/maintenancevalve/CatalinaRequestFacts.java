package org.maintenancevalve;

import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.apache.catalina.connector.Request;
import org.apache.catalina.session.StandardSession;
import org.apache.tomcat.util.buf.Ascii;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.http.ServerCookie;
import org.apache.tomcat.util.http.ServerCookies;
import org.maintenancevalve.access.RequestFacts;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Tomcat's request as the rules see it ({@link RequestFacts}), read in place: headers and cookies
 * as the bytes Tomcat holds, the session only looked up, never created. A {@code status.json}
 * probe adjusts it: {@link StatusProbeFacts}.
 */
class CatalinaRequestFacts implements RequestFacts {
    /** The protocol Tomcat's HTTP/2 streams report. */
    private static final String HTTP_2 = "HTTP/2.0";

    final Request request;
    /** The relative path, worked out once per request (the rules and the answer both need it). */
    private String path;

    CatalinaRequestFacts(Request request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        String known = path;
        if (known == null) {
            known = relativePath(request);
            path = known;
        }
        return known;
    }

    @Override
    public int connectorPort() {
        // Not request.getLocalPort(): an AJP front end or a RemoteIpValve sets that one.
        return ArrivalConnector.portOf(request.getConnector());
    }

    @Override
    public String remoteAddr() {
        return request.getRemoteAddr();
    }

    @Override
    public boolean hasForwardingHeaders() {
        // One pass over the headers as Tomcat holds them: no String, no allocation.
        MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (isForwardingHeader(headers.getName(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a header is one by which a proxy or CDN says whom it forwards for (or that it
     * forwarded at all: {@code Via}). The length first: most headers are none of them.
     */
    static boolean isForwardingHeader(MessageBytes name) {
        switch (name.getLength()) {
            case 3:
                return name.equalsIgnoreCase("Via");
            case 9:
                return name.equalsIgnoreCase("Forwarded") || name.equalsIgnoreCase("X-Real-IP");
            case 11:
                return name.equalsIgnoreCase("X-Client-IP");
            case 14:
                return name.equalsIgnoreCase("True-Client-IP");
            case 15:
                return name.equalsIgnoreCase("X-Forwarded-For");
            case 16:
                return name.equalsIgnoreCase("CF-Connecting-IP") || name.equalsIgnoreCase("Fastly-Client-IP");
            case 19:
                return name.equalsIgnoreCase("X-Cluster-Client-IP");
            default:
                return false;
        }
    }

    @Override
    public List<String> cookies(String name) {
        ServerCookies cookies = request.getServerCookies();
        String first = null;
        List<String> more = null;
        for (int i = 0; i < cookies.getCookieCount(); i++) {
            ServerCookie cookie = cookies.getCookie(i);
            if (cookie.getName().equals(name)) { // compares the bytes: no String per cookie
                String value = cookie.getValue().toString();
                if (first == null) {
                    first = value;
                } else {
                    if (more == null) {
                        more = new ArrayList<>();
                        more.add(first);
                    }
                    more.add(value);
                }
            }
        }
        return more != null ? more : first != null ? Collections.singletonList(first) : Collections.<String>emptyList();
    }

    @Override
    public String contextPath() {
        return contextPathOf(request);
    }

    /** The context path as Tomcat reports it ({@code ""} for the root context). */
    static String contextPathOf(Request request) {
        Context context = request.getContext();
        String path = context == null ? null : context.getPath();
        return path == null ? "" : path;
    }

    @Override
    public String sessionUser(String attribute) {
        // Never create a session: getSessionInternal(false) only finds an existing one.
        return userOf(request.getSessionInternal(false), attribute);
    }

    /** The name of the {@link Principal} a valid session holds under {@code attribute}, or {@code null}. */
    static String userOf(Session session, String attribute) {
        if (!(session instanceof StandardSession) || !session.isValid()) {
            return null;
        }
        try {
            Object user = ((StandardSession) session).getAttribute(attribute);
            // The Principal's class is the webapp's: only the JDK interface is safe to use.
            return user instanceof Principal ? ((Principal) user).getName() : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /** The decoded, normalised URI without the context path. */
    static String relativePath(Request request) {
        String uri = request.getDecodedRequestURI();
        if (uri == null) {
            return "/";
        }
        Context context = request.getContext();
        String contextPath = context == null ? null : context.getPath();
        if (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
            uri = uri.substring(contextPath.length());
        }
        return uri.isEmpty() ? "/" : uri;
    }

    @Override
    public String rawPath() {
        String uri = request.getRequestURI();
        Context context = request.getContext();
        String contextPath = context == null ? null : context.getPath();
        if (uri == null || contextPath == null || contextPath.isEmpty()) {
            return uri;
        }
        // A context path written differently in the URI (encoded, say) is not the plain form.
        return uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : null;
    }

    @Override
    public String rawQuery() {
        return request.getQueryString();
    }

    @Override
    public boolean carriesBody() {
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        long length;
        try {
            length = coyote.getContentLengthLong(); // parsed in place, once; -1 without the header
        } catch (RuntimeException unreadable) {
            return true; // two Content-Length headers, or not a number: take it as a body
        }
        if (length > 0 || hasHeader("Transfer-Encoding")) {
            return true;
        }
        // HTTP/2 needs neither header: a stream without a body ends with its headers, and Tomcat
        // has taken that end in before the request reaches a valve. A stream still open may send one.
        return coyote.protocol().equals(HTTP_2) && !coyote.isFinished();
    }

    @Override
    public boolean hasHeader(String name) {
        MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (headers.getName(i).equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean headerContains(String name, String lowerCaseText) {
        MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (headers.getName(i).equalsIgnoreCase(name) && contains(headers.getValue(i), lowerCaseText)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a header value contains {@code lowerCaseText} in any ASCII case: HTTP/1.1 values
     * are read in place as bytes, HTTP/2 ones are Strings.
     */
    static boolean contains(MessageBytes value, String lowerCaseText) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.getType() == MessageBytes.T_BYTES) {
            ByteChunk chunk = value.getByteChunk();
            byte[] bytes = chunk.getBuffer();
            for (int i = chunk.getStart(), last = chunk.getEnd() - lowerCaseText.length(); i <= last; i++) {
                int k = 0;
                while (k < lowerCaseText.length()
                        && Ascii.toLower(bytes[i + k] & 0xff) == lowerCaseText.charAt(k)) {
                    k++;
                }
                if (k == lowerCaseText.length()) {
                    return true;
                }
            }
            return false;
        }
        String text = value.toString();
        for (int i = 0, last = text.length() - lowerCaseText.length(); i <= last; i++) {
            if (text.regionMatches(true, i, lowerCaseText, 0, lowerCaseText.length())) {
                return true;
            }
        }
        return false;
    }
}
