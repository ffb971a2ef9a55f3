package org.maintenancevalve.it;

/** The admin port scenarios on the Tomcat line named by the system property tomcat85.version. */
class Tomcat85AdminPortIT extends AdminPortScenarios {
    Tomcat85AdminPortIT() {
        super(System.getProperty("tomcat85.version"));
    }
}
