package org.maintenancevalve.it;

/** status.json and banner.js on the Tomcat line named by the system property tomcat85.version. */
class Tomcat85BannerIT extends BannerScenarios {
    Tomcat85BannerIT() {
        super(System.getProperty("tomcat85.version"));
    }
}
