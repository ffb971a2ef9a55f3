package org.maintenancevalve.it;

/** The core scenarios on the Tomcat line named by the system property tomcat11.version. */
class Tomcat11CoreIT extends CoreScenarios {
    Tomcat11CoreIT() {
        super(System.getProperty("tomcat11.version"));
    }
}
