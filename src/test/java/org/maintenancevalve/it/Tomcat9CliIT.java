package org.maintenancevalve.it;

/** The command-line scenarios on Tomcat 9.0 (system property tomcat9.version). */
class Tomcat9CliIT extends CliScenarios {
    Tomcat9CliIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
