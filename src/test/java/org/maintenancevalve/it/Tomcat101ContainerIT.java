package org.maintenancevalve.it;

/** The container scenarios on the Tomcat line named by the system property tomcat101.version. */
class Tomcat101ContainerIT extends ContainerScenarios {
    Tomcat101ContainerIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
