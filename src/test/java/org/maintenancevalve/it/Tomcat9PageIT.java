package org.maintenancevalve.it;

/** The maintenance page on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9PageIT extends PageScenarios {
    Tomcat9PageIT() {
        super(System.getProperty("tomcat9.version"), false);
    }
}
