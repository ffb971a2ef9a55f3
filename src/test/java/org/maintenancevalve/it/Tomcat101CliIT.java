package org.maintenancevalve.it;

/** The command-line scenarios on Tomcat 10.1 (system property tomcat101.version). */
class Tomcat101CliIT extends CliScenarios {
    Tomcat101CliIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
