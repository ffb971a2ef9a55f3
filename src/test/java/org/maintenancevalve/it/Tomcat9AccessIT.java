package org.maintenancevalve.it;

/** The access scenarios on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9AccessIT extends AccessScenarios {
    Tomcat9AccessIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
