package org.maintenancevalve.bench;

import org.apache.catalina.Valve;
import org.maintenancevalve.harness.Exchange;
import org.maintenancevalve.harness.Fixture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One whole request through Tomcat's real Request/Response: what Tomcat does before the
 * pipeline ({@link Exchange#fill()}), the pipeline (the valve, then nothing), and what Tomcat does
 * after it ({@link Exchange#finish()}: finish the response, recycle). {@code noValve} measures
 * Tomcat's part alone for the browser's request ({@code noValveRest}, {@code noValveHealth} for the
 * REST client's and the health check's); a scenario's cost minus its baseline is the valve's. {@code reference503} is the
 * least any valve can do to refuse a request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExchangeBenchmark {

    @Param({"noValve", "noValveRest", "noValveHealth", "reference503", "off", "blockedHtml", "blockedJson", "blockedHtmlJira", "blockedJsonJira",
            "admitAddress", "admitPort", "admitCookie", "admitUser", "admitPath"})
    public Scenario scenario;

    private Fixture fixture;
    private Valve head;
    private Exchange exchange;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Quiet.logging();
        fixture = new Fixture();
        head = scenario.setUp(fixture);
        exchange = new Exchange(fixture.connector, fixture.host, fixture.context, scenario.request(head));
        scenario.check(head, exchange);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public void exchange() throws Exception {
        Exchange e = exchange;
        e.fill();
        head.invoke(e.request, e.response);
        e.finish();
    }
}
