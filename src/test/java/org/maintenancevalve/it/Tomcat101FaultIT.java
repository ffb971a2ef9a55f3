package org.maintenancevalve.it;

/** The fault scenarios on the Tomcat line named by the system property tomcat101.version. */
class Tomcat101FaultIT extends FaultScenarios {
    Tomcat101FaultIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
