package org.maintenancevalve.it;

/** The scenarios of {@code run} on Tomcat 10.1 (system property tomcat101.version). */
class Tomcat101RunIT extends RunScenarios {
    Tomcat101RunIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
