package org.maintenancevalve.it;

/** status.json and banner.js on the Tomcat line named by the system property tomcat9.version. */
class Tomcat9BannerIT extends BannerScenarios {
    Tomcat9BannerIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
