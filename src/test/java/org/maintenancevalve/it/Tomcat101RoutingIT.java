package org.maintenancevalve.it;

/** The routing scenarios on the Tomcat line named by the system property tomcat101.version. */
class Tomcat101RoutingIT extends RoutingScenarios {
    Tomcat101RoutingIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
