package org.maintenancevalve.bench;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The reference for "as fast as any valve inside Tomcat can refuse a request": it answers every
 * request with {@code 503} and one fixed body, and does nothing else (no state, no rules, no
 * headers of its own). The load benchmark gives it the maintenance valve's own page through
 * {@code bodyFile}, so both write the same bytes.
 * <p>
 * Benchmark code only; compiled by {@code bench/load.sh} with {@code javac --release 8} against
 * the Tomcat distribution's {@code lib/} jars. Imports nothing from {@code javax.servlet} (its
 * {@code getOutputStream()} call links to Tomcat 9's javax type, the only line it runs on).
 */
public class Reference503Valve extends ValveBase {

    private byte[] body = ("<!DOCTYPE html>\n<html><head><title>Down for maintenance</title></head>"
            + "<body><h1>Down for maintenance</h1></body></html>\n").getBytes(StandardCharsets.UTF_8);
    private String bodyFile;

    public Reference503Valve() {
        super(true);
    }

    /** A UTF-8 file whose content is the body, read once at start. */
    public void setBodyFile(String bodyFile) {
        this.bodyFile = bodyFile;
    }

    public String getBodyFile() {
        return bodyFile;
    }

    /** The body itself (for the JMH benchmark). */
    public void setBody(String body) {
        this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected synchronized void startInternal() throws LifecycleException {
        if (bodyFile != null && !bodyFile.isEmpty()) {
            try {
                setBody(new String(Files.readAllBytes(Paths.get(bodyFile)), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new LifecycleException("Reference503Valve: cannot read bodyFile " + bodyFile, e);
            }
        }
        super.startInternal();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException {
        response.setStatus(503);
        response.setContentType("text/html;charset=UTF-8");
        response.setContentLength(body.length);
        // Bytes encoded once, as the maintenance valve writes them: no encoder per request.
        OutputStream out = response.getOutputStream();
        out.write(body);
        out.flush();
    }
}
