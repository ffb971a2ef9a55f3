package org.maintenancevalve.access;

import java.util.HashMap;
import java.util.Map;

/** A request for rule tests: every fact set by hand. */
final class FakeRequest implements RequestFacts {
    String method = "GET";
    String path = "/secure/Dashboard.jspa";
    int localPort = 8080;
    String remoteAddr = "198.51.100.20";
    boolean forwarded;
    final Map<String, String> cookies = new HashMap<>();
    final Map<String, String> sessionUsers = new HashMap<>();

    FakeRequest method(String method) {
        this.method = method;
        return this;
    }

    FakeRequest path(String path) {
        this.path = path;
        return this;
    }

    FakeRequest port(int port) {
        this.localPort = port;
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

    FakeRequest cookie(String name, String value) {
        cookies.put(name, value);
        return this;
    }

    FakeRequest user(String attribute, String name) {
        sessionUsers.put(attribute, name);
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
    public int localPort() {
        return localPort;
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
    public String cookie(String name) {
        return cookies.get(name);
    }

    @Override
    public String sessionUser(String attribute) {
        return sessionUsers.get(attribute);
    }
}
