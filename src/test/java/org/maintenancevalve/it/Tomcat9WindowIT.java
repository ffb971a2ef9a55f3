package org.maintenancevalve.it;

/** The maintenance-window scenarios on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9WindowIT extends WindowScenarios {
    Tomcat9WindowIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
