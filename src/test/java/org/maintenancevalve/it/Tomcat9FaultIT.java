package org.maintenancevalve.it;

/** The fault scenarios on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9FaultIT extends FaultScenarios {
    Tomcat9FaultIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
