package org.maintenancevalve.it;

/** The access scenarios on the Tomcat line named by the system property tomcat85.version. */
class Tomcat85AccessIT extends AccessScenarios {
    Tomcat85AccessIT() {
        super(System.getProperty("tomcat85.version"));
    }
}
