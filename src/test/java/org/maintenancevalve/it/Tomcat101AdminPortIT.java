package org.maintenancevalve.it;

/** The admin port scenarios on the Tomcat line named by the system property tomcat101.version. */
class Tomcat101AdminPortIT extends AdminPortScenarios {
    Tomcat101AdminPortIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
