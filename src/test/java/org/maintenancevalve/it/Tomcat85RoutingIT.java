package org.maintenancevalve.it;

/** The routing scenarios on the Tomcat line named by the system property tomcat85.version. */
class Tomcat85RoutingIT extends RoutingScenarios {
    Tomcat85RoutingIT() {
        super(System.getProperty("tomcat85.version"));
    }
}
