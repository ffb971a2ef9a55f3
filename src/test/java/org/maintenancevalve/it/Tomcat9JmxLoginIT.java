package org.maintenancevalve.it;

/** The command line against a JMX port with a password, on Tomcat 9.0 (system property tomcat9.version). */
class Tomcat9JmxLoginIT extends JmxLoginScenarios {
    Tomcat9JmxLoginIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
