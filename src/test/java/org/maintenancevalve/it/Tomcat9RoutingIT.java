package org.maintenancevalve.it;

/** The routing scenarios on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9RoutingIT extends RoutingScenarios {
    Tomcat9RoutingIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
