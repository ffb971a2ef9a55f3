package org.maintenancevalve.it;

/** The routing scenarios on the Tomcat line named by the system property tomcat11.version. */
class Tomcat11RoutingIT extends RoutingScenarios {
    Tomcat11RoutingIT() {
        super(System.getProperty("tomcat11.version"));
    }
}
