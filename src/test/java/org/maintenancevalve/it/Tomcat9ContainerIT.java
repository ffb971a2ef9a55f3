package org.maintenancevalve.it;

/** The container scenarios on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9ContainerIT extends ContainerScenarios {
    Tomcat9ContainerIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
