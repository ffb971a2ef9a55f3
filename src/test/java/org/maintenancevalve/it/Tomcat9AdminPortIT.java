package org.maintenancevalve.it;

/** The admin port scenarios on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9AdminPortIT extends AdminPortScenarios {
    Tomcat9AdminPortIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
