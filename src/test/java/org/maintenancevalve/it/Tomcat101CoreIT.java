package org.maintenancevalve.it;

/** The core scenarios on the Tomcat line named by the system property tomcat101.version. */
class Tomcat101CoreIT extends CoreScenarios {
    Tomcat101CoreIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
