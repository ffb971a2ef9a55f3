package org.maintenancevalve.it;

/** status.json and banner.js on the Tomcat line named by the system property tomcat101.version. */
class Tomcat101BannerIT extends BannerScenarios {
    Tomcat101BannerIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
