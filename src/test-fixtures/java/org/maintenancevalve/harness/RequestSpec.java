package org.maintenancevalve.harness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP request as it arrives: request line, headers, the client's address, the port of the
 * connector it arrives on and the local port Tomcat's request reports (the same, unless a front end
 * named another). {@link Exchange#fill()} puts it into Tomcat's objects the way Tomcat's HTTP parser and
 * {@code CoyoteAdapter} do, from bytes.
 */
public final class RequestSpec {

    /** A browser's usual headers (Chrome on a Jira page), without the cookie. */
    private static final String[][] BROWSER = {
            {"Host", "jira.example.com"},
            {"Connection", "keep-alive"},
            {"Upgrade-Insecure-Requests", "1"},
            {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"},
            {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
            {"Accept-Encoding", "gzip, deflate, br"},
            {"Accept-Language", "en-GB,en;q=0.9"},
    };

    final byte[] method;
    final byte[] uri;
    final char[] decodedUri;
    final byte[] query;
    final String remoteAddr;
    final int port;
    final int reportedPort;
    final boolean secure;
    final List<byte[][]> headers;

    private RequestSpec(Builder b) {
        this.method = ascii(b.method);
        this.uri = ascii(b.uri);
        this.decodedUri = b.uri.toCharArray();
        this.query = b.query == null ? null : ascii(b.query);
        this.remoteAddr = b.remoteAddr;
        this.port = b.port;
        this.reportedPort = b.reportedPort != null ? b.reportedPort : b.port;
        this.secure = b.secure;
        this.headers = new ArrayList<>();
        for (String[] h : b.headers) {
            headers.add(new byte[][] {ascii(h[0]), ascii(h[1])});
        }
    }

    /** A bare request: the request line and nothing else until headers are added. */
    public static Builder request(String method, String uri) {
        return new Builder(method, uri);
    }

    /** A browser asking for a Jira page, with its session cookie if {@code sessionId} is not null. */
    public static Builder browser(String uri, String sessionId) {
        Builder b = new Builder("GET", uri);
        for (String[] h : BROWSER) {
            b.header(h[0], h[1]);
        }
        if (sessionId != null) {
            b.header("Cookie", "JSESSIONID=" + sessionId + "; atlassian.xsrf.token=B2QJ-7X0Q-RK9C-LMNO_0123456789abcdef_lin");
        }
        return b;
    }

    /** A REST client (a script, an integration) asking for JSON with basic authentication. */
    public static Builder rest(String uri) {
        return new Builder("GET", uri)
                .header("Host", "jira.example.com")
                .header("User-Agent", "python-requests/2.32.3")
                .header("Accept-Encoding", "gzip, deflate")
                .header("Accept", "application/json")
                .header("Connection", "keep-alive")
                .header("Authorization", "Basic YXV0b21hdGlvbjpzZWNyZXQtdG9rZW4tMDEyMzQ1Njc4OQ==");
    }

    /** A load balancer's health check. */
    public static Builder healthCheck(String uri) {
        return new Builder("GET", uri)
                .header("Host", "10.0.0.12:8080")
                .header("User-Agent", "ELB-HealthChecker/2.0")
                .header("Accept-Encoding", "gzip, compressed")
                .header("Connection", "close");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Builds a {@link RequestSpec}. */
    public static final class Builder {
        private final String method;
        private final String uri;
        private String query;
        private String remoteAddr = "10.20.30.40";
        private int port = 8080;
        private Integer reportedPort;
        private boolean secure;
        private final List<String[]> headers = new ArrayList<>();

        Builder(String method, String uri) {
            this.method = method;
            this.uri = uri;
        }

        public Builder header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        /** Appends {@code ; name=value} to the Cookie header, adding one if there is none. */
        public Builder cookie(String name, String value) {
            for (String[] h : headers) {
                if (h[0].equals("Cookie")) {
                    h[1] = h[1] + "; " + name + "=" + value;
                    return this;
                }
            }
            return header("Cookie", name + "=" + value);
        }

        public Builder query(String query) {
            this.query = query;
            return this;
        }

        public Builder from(String remoteAddr) {
            this.remoteAddr = remoteAddr;
            return this;
        }

        /** The port of the connector the request arrives on (8080 unless set). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The local port Tomcat's request reports when a front end names one: an AJP message's
         * {@code server_port}, or a RemoteIpValve with {@code changeLocalPort}. Unless set, the
         * connector's port, as for a request straight from the client.
         */
        public Builder reportedPort(int port) {
            this.reportedPort = port;
            return this;
        }

        /** Over TLS, as Tomcat knows it ({@code request.isSecure()}). */
        public Builder secure() {
            this.secure = true;
            return this;
        }

        public RequestSpec build() {
            return new RequestSpec(this);
        }
    }
}
