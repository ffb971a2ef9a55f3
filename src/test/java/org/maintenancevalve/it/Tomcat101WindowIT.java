package org.maintenancevalve.it;

/** The maintenance-window scenarios on the Tomcat line named by the system property tomcat101.version. */
class Tomcat101WindowIT extends WindowScenarios {
    Tomcat101WindowIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
