package org.maintenancevalve.it;

/**
 * The banner in headless Chromium on the Tomcat line named by the system property tomcat9.version
 * (banner.js is the same bytes on every line; BannerScenarios covers the endpoints on all four).
 */
class Tomcat9BannerPageIT extends BannerPageScenarios {
    Tomcat9BannerPageIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
