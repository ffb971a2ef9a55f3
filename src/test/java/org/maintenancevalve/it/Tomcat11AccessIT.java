package org.maintenancevalve.it;

/** The access scenarios on the Tomcat line named by the system property tomcat11.version. */
class Tomcat11AccessIT extends AccessScenarios {
    Tomcat11AccessIT() {
        super(System.getProperty("tomcat11.version"));
    }
}
