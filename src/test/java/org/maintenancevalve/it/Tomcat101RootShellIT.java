package org.maintenancevalve.it;

/** The root-shell scenarios on the Tomcat line named by the system property tomcat101.version. */
class Tomcat101RootShellIT extends RootShellScenarios {
    Tomcat101RootShellIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
