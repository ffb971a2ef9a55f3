package org.maintenancevalve.harness;

import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.CoyoteAdapter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.http.ServerCookie;
import org.apache.tomcat.util.http.ServerCookies;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tomcat's real request and response objects for one connection, driven the way Tomcat drives
 * them: {@link #fill()} does what the HTTP parser and {@code CoyoteAdapter.postParseRequest} do
 * before the pipeline (request line and headers as bytes, the mapped Host and Context, cookies
 * parsed, the requested session id taken from {@code JSESSIONID}); {@link #finish()} does what
 * {@code CoyoteAdapter.service} and the processor do after it (finish the response, recycle all
 * four objects).
 * <p>
 * The only stand-ins: the socket (the response's bytes go to {@link Discard}, which counts them,
 * and keeps them when asked: {@link #send(Valve)}) and the processor's action hook (none is set;
 * the client's address and local port are put into the coyote request directly, as the
 * processor would on request). A request arrives on a connector with the port its
 * {@link RequestSpec} names: the one given, or one made for that port (not started).
 * <p>
 * Shared by the benchmarks (bench/, which only fill, invoke and finish: no allocation of its own
 * per request) and the unit tests (which {@link #send} a request and look at the {@link Reply}).
 */
public final class Exchange {

    public final org.apache.coyote.Request coyoteRequest = new org.apache.coyote.Request();
    public final org.apache.coyote.Response coyoteResponse = new org.apache.coyote.Response();
    /** The request and response of the connector the present request arrives on. */
    public Request request;
    public Response response;
    private final Discard socket = new Discard();
    private final Connector connector;
    /** The request and response of each connector requests arrived on, by port. */
    private final Map<Integer, Request> requests = new HashMap<>();
    private final Host host;
    private final Context context;
    private RequestSpec spec;

    public Exchange(Connector connector, Host host, Context context, RequestSpec spec) {
        this.connector = connector;
        this.host = host;
        this.context = context;
        coyoteRequest.setResponse(coyoteResponse);
        coyoteResponse.setOutputBuffer(socket);
        use(spec);
    }

    public void use(RequestSpec next) {
        this.spec = next;
        arriveOn(next == null ? connector.getPort() : next.port);
    }

    /** Makes {@link #request} and {@link #response} those of the connector with that port. */
    private void arriveOn(int port) {
        if (request != null && request.getConnector().getPort() == port) {
            return;
        }
        Request arriving = requests.get(port);
        if (arriving == null) {
            Connector on = connector;
            if (port != connector.getPort()) {
                on = new Connector("HTTP/1.1");
                on.setPort(port);
            }
            arriving = on.createRequest();
            arriving.setCoyoteRequest(coyoteRequest);
            Response answer = on.createResponse();
            answer.setCoyoteResponse(coyoteResponse);
            arriving.setResponse(answer);
            answer.setRequest(arriving);
            requests.put(port, arriving);
        }
        request = arriving;
        response = arriving.getResponse();
        coyoteRequest.setNote(CoyoteAdapter.ADAPTER_NOTES, request);
        coyoteResponse.setNote(CoyoteAdapter.ADAPTER_NOTES, response);
    }

    /** Before the pipeline: what Tomcat has done when the first valve sees the request. */
    public void fill() {
        RequestSpec s = spec;
        org.apache.coyote.Request r = coyoteRequest;
        r.setMethod(s.method, 0, s.method.length);
        r.requestURI().setBytes(s.uri, 0, s.uri.length);
        r.decodedURI().setChars(s.decodedUri, 0, s.decodedUri.length);
        if (s.query != null) {
            r.queryString().setBytes(s.query, 0, s.query.length);
        }
        r.protocol().setString("HTTP/1.1");
        MimeHeaders headers = r.getMimeHeaders();
        for (byte[][] h : s.headers) {
            headers.addValue(h[0], 0, h[0].length).setBytes(h[1], 0, h[1].length);
        }
        // The processor answers REQ_HOST_ADDR_ATTRIBUTE / REQ_LOCALPORT_ATTRIBUTE from the socket
        // (the AJP processor takes the local port from the front end's message).
        r.remoteAddr().setString(s.remoteAddr);
        r.setLocalPort(s.reportedPort);
        if (s.secure) {
            request.setSecure(true);
        }
        // The mapper's result.
        request.getMappingData().host = host;
        request.getMappingData().context = context;
        // CoyoteAdapter.parseSessionCookiesId: cookies are parsed before the pipeline.
        ServerCookies cookies = request.getServerCookies();
        for (int i = 0; i < cookies.getCookieCount(); i++) {
            ServerCookie cookie = cookies.getCookie(i);
            if (cookie.getName().equals("JSESSIONID")) {
                request.setRequestedSessionId(cookie.getValue().toString());
                request.setRequestedSessionCookie(true);
                break;
            }
        }
    }

    /** After the pipeline: finish the response, recycle everything for the next request. */
    public void finish() throws IOException {
        response.finishResponse();
        request.recycle();
        response.recycle();
        coyoteRequest.recycle();
        coyoteResponse.recycle();
    }

    /**
     * One whole request, for a test: fills the request from {@code spec}, lets {@code valve}
     * handle it, finishes the response and returns what the client would get, then recycles
     * everything as Tomcat does.
     */
    public Reply send(Valve valve, RequestSpec spec) throws Exception {
        use(spec);
        return send(valve);
    }

    /** As {@link #send(Valve, RequestSpec)}, with the request given last. */
    public Reply send(Valve valve) throws Exception {
        fill();
        socket.keep = new ByteArrayOutputStream();
        try {
            valve.invoke(request, response);
            response.finishResponse();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            MimeHeaders mime = coyoteResponse.getMimeHeaders();
            for (int i = 0; i < mime.size(); i++) {
                headers.computeIfAbsent(mime.getName(i).toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(mime.getValue(i).toString());
            }
            return new Reply(coyoteResponse.getStatus(), coyoteResponse.getContentType(),
                    coyoteResponse.getContentLengthLong(), headers, socket.keep.toByteArray());
        } finally {
            socket.keep = null;
            finish();
        }
    }

    /** What a client got for one request: status, content type, headers (by lower-case name) and body. */
    public static final class Reply {
        public final int status;
        public final String contentType;
        /** The declared Content-Length, -1 when none was set. */
        public final long contentLength;
        private final Map<String, List<String>> headers;
        private final byte[] body;

        Reply(int status, String contentType, long contentLength, Map<String, List<String>> headers, byte[] body) {
            this.status = status;
            this.contentType = contentType;
            this.contentLength = contentLength;
            this.headers = headers;
            this.body = body;
        }

        /** The first value of a header, or {@code null}. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        /** Every value of a header (empty when there is none). */
        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), Collections.emptyList());
        }

        /** The body as UTF-8 text. */
        public String body() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body().length() + " characters";
        }
    }

    /** Bytes of response bodies written so far. */
    public long bytesWritten() {
        return socket.total;
    }

    /** The response status Tomcat would send (call before {@link #finish()}). */
    public int status() {
        return coyoteResponse.getStatus();
    }

    static String text(MessageBytes mb) {
        return mb == null ? null : mb.toString();
    }

    /** The socket: takes every byte, sends none (keeps them while a test asks for them). */
    static final class Discard implements org.apache.coyote.OutputBuffer {
        long total;
        ByteArrayOutputStream keep;

        @Override
        public int doWrite(ByteBuffer chunk) {
            int n = chunk.remaining();
            if (keep != null) {
                byte[] bytes = new byte[n];
                chunk.get(bytes);
                keep.write(bytes, 0, n);
            } else {
                chunk.position(chunk.limit());
            }
            total += n;
            return n;
        }

        @Override
        public long getBytesWritten() {
            return total;
        }
    }
}
