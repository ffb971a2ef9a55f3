package org.maintenancevalve.it;

/** The core scenarios on the Tomcat line named by the system property tomcat85.version. */
class Tomcat85CoreIT extends CoreScenarios {
    Tomcat85CoreIT() {
        super(System.getProperty("tomcat85.version"));
    }
}
