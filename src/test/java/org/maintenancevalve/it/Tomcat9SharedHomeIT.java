package org.maintenancevalve.it;

/** The shared-home mount scenarios on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9SharedHomeIT extends SharedHomeScenarios {
    Tomcat9SharedHomeIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
