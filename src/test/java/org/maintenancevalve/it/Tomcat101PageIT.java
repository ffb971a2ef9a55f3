package org.maintenancevalve.it;

/**
 * The maintenance page on the Tomcat line named by the system property tomcat101.version; this
 * line saves the screenshots under {@code target/screenshots/}.
 */
class Tomcat101PageIT extends PageScenarios {
    Tomcat101PageIT() {
        super(System.getProperty("tomcat101.version"), true);
    }
}
