package org.maintenancevalve.it;

/** The scenarios of {@code run} on Tomcat 9.0 (system property tomcat9.version). */
class Tomcat9RunIT extends RunScenarios {
    Tomcat9RunIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
