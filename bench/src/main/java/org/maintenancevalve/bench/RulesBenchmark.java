package org.maintenancevalve.bench;

import org.apache.tomcat.util.buf.MessageBytes;
import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.access.AddressRule;
import org.maintenancevalve.access.BypassSecret;
import org.maintenancevalve.access.Preset;
import org.maintenancevalve.harness.Fixture;
import org.maintenancevalve.response.ContentNegotiation;
import org.maintenancevalve.response.PageLanguage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The rules one by one, without Tomcat: where a blocked request's time goes inside the valve.
 * Each is asked as the valve asks it for a request that does not pass (the common case while on).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RulesBenchmark {

    private AddressRule addresses;
    private Preset preset;
    private BypassSecret secret;
    private String validCookie;
    private String clientAddress = "10.20.30.40";
    private String path = "/secure/Dashboard.jspa";
    private MessageBytes accept;
    private MessageBytes acceptLanguage;

    @Setup
    public void setUp() {
        addresses = AddressRule.of(AccessConfig.split(Fixture.ALLOWED_ADDRESS + ", 192.168.0.0/24, ::1"));
        preset = Preset.JIRA;
        secret = new BypassSecret(Fixture.BYPASS_SECRET).forWindow("id:benchmark-window");
        validCookie = secret.issue("", System.currentTimeMillis() / 1000);
        accept = header("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
        acceptLanguage = header("en-GB,en;q=0.9");
    }

    /** A header value as Tomcat's HTTP/1.1 parser leaves it: bytes in the request's buffer. */
    private static MessageBytes header(String value) {
        byte[] bytes = ("Header: " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        MessageBytes header = MessageBytes.newInstance();
        header.setBytes(bytes, 8, value.length());
        return header;
    }

    /** The address rule for a client that is not allowed: parse the address, compare with each block. */
    @Benchmark
    public boolean addressNotAllowed() {
        return addresses.matches(clientAddress);
    }

    /** The Jira preset's paths (endpoints, then the static-file rule) for a page that is not among them. */
    @Benchmark
    public boolean pathNotAllowed() {
        return preset.admits("GET", path);
    }

    /** HTML or JSON, for a browser's Accept header (read as bytes, as the valve reads it). */
    @Benchmark
    public boolean negotiateBrowser() {
        return ContentNegotiation.wantsJson(accept, null, path);
    }

    /** The page's language, for a browser's Accept-Language header (read as bytes). */
    @Benchmark
    public int languageBrowser() {
        return PageLanguage.choose(acceptLanguage);
    }

    /** A valid bypass cookie: HMAC-SHA256 and a constant-time compare (only requests that carry one). */
    @Benchmark
    public boolean bypassCookieValid() {
        return secret.accepts(validCookie, "", System.currentTimeMillis() / 1000);
    }

    /** For scale: what the address rule's parse alone would cost done by hand for IPv4 (not the valve's code). */
    @Benchmark
    public int ipv4ByHandForScale() {
        return parseIpv4(clientAddress);
    }

    private static int parseIpv4(String s) {
        int value = 0;
        int part = 0;
        int digits = 0;
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9' && digits < 3) {
                part = part * 10 + (c - '0');
                digits++;
            } else if (c == '.' && digits > 0 && dots < 3 && part <= 255) {
                value = (value << 8) | part;
                part = 0;
                digits = 0;
                dots++;
            } else {
                return -1;
            }
        }
        return dots == 3 && digits > 0 && part <= 255 ? (value << 8) | part : -1;
    }
}
