package org.maintenancevalve.it;

/** The admin port scenarios on the Tomcat line named by the system property tomcat11.version. */
class Tomcat11AdminPortIT extends AdminPortScenarios {
    Tomcat11AdminPortIT() {
        super(System.getProperty("tomcat11.version"));
    }
}
