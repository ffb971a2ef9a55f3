package org.maintenancevalve.it;

/** The load-and-toggle scenario on Tomcat 9.0 (system property tomcat9.version). */
class Tomcat9LoadToggleIT extends LoadToggleScenarios {
    Tomcat9LoadToggleIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
