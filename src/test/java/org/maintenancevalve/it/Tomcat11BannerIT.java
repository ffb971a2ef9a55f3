package org.maintenancevalve.it;

/** status.json and banner.js on the Tomcat line named by the system property tomcat11.version. */
class Tomcat11BannerIT extends BannerScenarios {
    Tomcat11BannerIT() {
        super(System.getProperty("tomcat11.version"));
    }
}
