package org.maintenancevalve.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request for rule tests: every fact set by hand. */
final class FakeRequest implements RequestFacts {
    String method = "GET";
    String path = "/secure/Dashboard.jspa";
    /** The port of the connector the request arrived on. */
    int connectorPort = 8080;
    String remoteAddr = "198.51.100.20";
    boolean forwarded;
    /** Name and value of each cookie, in the order sent (a name may come more than once). */
    final List<String[]> cookies = new ArrayList<>();
    String contextPath = "";
    final Map<String, String> sessionUsers = new HashMap<>();
    /** The raw path as sent; unless set, the same as {@link #path} (a plain request). */
    String rawPath;
    boolean rawPathSet;
    String rawQuery;
    /** Header names and values, in order; a name may repeat. */
    final List<String[]> headers = new ArrayList<>();
    boolean body;

    FakeRequest method(String method) {
        this.method = method;
        return this;
    }

    FakeRequest path(String path) {
        this.path = path;
        return this;
    }

    FakeRequest port(int port) {
        this.connectorPort = port;
        return this;
    }

    FakeRequest from(String address) {
        this.remoteAddr = address;
        return this;
    }

    FakeRequest forwarded() {
        this.forwarded = true;
        return this;
    }

    /** Adds a cookie; a second one of the same name comes after the first, as in a Cookie header. */
    FakeRequest cookie(String name, String value) {
        cookies.add(new String[] {name, value});
        return this;
    }

    FakeRequest contextPath(String contextPath) {
        this.contextPath = contextPath;
        return this;
    }

    FakeRequest user(String attribute, String name) {
        sessionUsers.put(attribute, name);
        return this;
    }

    /** The path as sent ({@code null}: not known), when it differs from the decoded one. */
    FakeRequest raw(String rawPath) {
        this.rawPath = rawPath;
        this.rawPathSet = true;
        return this;
    }

    FakeRequest query(String rawQuery) {
        this.rawQuery = rawQuery;
        return this;
    }

    /** The request carries a body (how it says so is the adapter's: {@code CatalinaRequestFactsTest}). */
    FakeRequest body() {
        this.body = true;
        return this;
    }

    FakeRequest header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public int connectorPort() {
        return connectorPort;
    }

    @Override
    public String remoteAddr() {
        return remoteAddr;
    }

    @Override
    public boolean hasForwardingHeaders() {
        return forwarded;
    }

    @Override
    public List<String> cookies(String name) {
        List<String> values = new ArrayList<>();
        for (String[] cookie : cookies) {
            if (cookie[0].equals(name)) {
                values.add(cookie[1]);
            }
        }
        return values;
    }

    @Override
    public String contextPath() {
        return contextPath;
    }

    @Override
    public String sessionUser(String attribute) {
        return sessionUsers.get(attribute);
    }

    @Override
    public String rawPath() {
        return rawPathSet ? rawPath : path;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public boolean carriesBody() {
        return body;
    }

    @Override
    public boolean hasHeader(String name) {
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean headerContains(String name, String lowerCaseText) {
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name) && header[1].toLowerCase(Locale.ROOT).contains(lowerCaseText)) {
                return true;
            }
        }
        return false;
    }
}
