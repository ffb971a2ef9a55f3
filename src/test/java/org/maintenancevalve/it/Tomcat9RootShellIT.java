package org.maintenancevalve.it;

/** The root-shell scenarios on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9RootShellIT extends RootShellScenarios {
    Tomcat9RootShellIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
