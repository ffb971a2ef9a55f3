package org.maintenancevalve.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import javax.management.ObjectName;

/**
 * A JVM that looks like a local Tomcat to the attach API (its command line names Tomcat's
 * Bootstrap) with one {@link LiveNode.Valve} in its platform MBean server, for {@link LocalTomcatsTest}.
 * Arguments: the flag file its valve watches, a file to create once ready, then Tomcat's words.
 * It ends when its standard input closes (when the test that started it ends).
 */
final class TomcatStandIn {

    private TomcatStandIn() {
    }

    public static void main(String[] args) throws Exception {
        ManagementFactory.getPlatformMBeanServer().registerMBean(new LiveNode.Valve(args[0]),
                new ObjectName("Catalina:type=Valve,host=localhost,name=MaintenanceValve"));
        Path ready = Paths.get(args[1]);
        Files.write(Paths.get(args[1] + ".tmp"), new byte[0]);
        Files.move(Paths.get(args[1] + ".tmp"), ready);
        while (System.in.read() >= 0) {
            // until the test closes the pipe
        }
    }
}
