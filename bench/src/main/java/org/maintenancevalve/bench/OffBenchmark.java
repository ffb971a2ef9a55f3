package org.maintenancevalve.bench;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.maintenancevalve.MaintenanceValve;
import org.maintenancevalve.harness.Exchange;
import org.maintenancevalve.harness.Fixture;
import org.maintenancevalve.harness.RequestSpec;
import org.maintenancevalve.harness.Terminal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The valve's {@code invoke} alone while maintenance is off, on a real Tomcat Request/Response
 * (filled once: an off valve only reads the decoded URI and the context's path, to see whether the
 * request asks for the banner's {@code status.json} or {@code banner.js}, so there is nothing to
 * recycle). Compared with {@code nextOnly}, the call Tomcat would make without the valve.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OffBenchmark {

    /** One valve for all threads, as in Tomcat. */
    @State(Scope.Benchmark)
    public static class Valve {
        Fixture fixture;
        MaintenanceValve valve;
        Terminal next;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Quiet.logging();
            fixture = new Fixture();
            next = new Terminal();
            valve = (MaintenanceValve) Scenario.off.setUp(fixture);
            next = (Terminal) valve.getNext();
            Exchange check = new Exchange(fixture.connector, fixture.host, fixture.context, Scenario.off.request());
            Scenario.off.check(valve, check);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fixture.close();
        }
    }

    /** Each thread its own connection. */
    @State(Scope.Thread)
    public static class Connection {
        Request request;
        Response response;

        @Setup(Level.Trial)
        public void setUp(Valve v) {
            Exchange exchange = new Exchange(v.fixture.connector, v.fixture.host, v.fixture.context,
                    Scenario.off.request());
            exchange.fill();
            request = exchange.request;
            response = exchange.response;
        }
    }

    /**
     * A connection whose request has a long URI (a Jira Agile board's data, 44 characters): longer
     * than the banner's endpoint paths, so the valve also reads the context's path to rule them out.
     */
    @State(Scope.Thread)
    public static class LongUriConnection {
        Request request;
        Response response;

        @Setup(Level.Trial)
        public void setUp(Valve v) {
            Exchange exchange = new Exchange(v.fixture.connector, v.fixture.host, v.fixture.context,
                    RequestSpec.browser("/rest/greenhopper/1.0/xboard/work/allData.json", Fixture.USER_SESSION)
                            .build());
            exchange.fill();
            request = exchange.request;
            response = exchange.response;
        }
    }

    @Benchmark
    public void valveOffLongUri(Valve v, LongUriConnection c) throws Exception {
        v.valve.invoke(c.request, c.response);
    }

    @Benchmark
    public void valveOff(Valve v, Connection c) throws Exception {
        v.valve.invoke(c.request, c.response);
    }

    @Benchmark
    public void nextOnly(Valve v, Connection c) throws Exception {
        v.next.invoke(c.request, c.response);
    }

    /** Two request threads at once on this 2-core machine: the shared counters under contention. */
    @Benchmark
    @Threads(2)
    public void valveOffTwoThreads(Valve v, Connection c) throws Exception {
        v.valve.invoke(c.request, c.response);
    }
}
