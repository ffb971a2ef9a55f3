package org.maintenancevalve.it;

/** The core scenarios on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9CoreIT extends CoreScenarios {
    Tomcat9CoreIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
