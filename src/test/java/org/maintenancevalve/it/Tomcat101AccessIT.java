package org.maintenancevalve.it;

/** The access scenarios on the Tomcat line named by the system property tomcat101.version. */
class Tomcat101AccessIT extends AccessScenarios {
    Tomcat101AccessIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
