package org.maintenancevalve.it;

/** The consistent backup on PostgreSQL, and incoming mail, on Tomcat 9.0 (system property tomcat9.version). */
class Tomcat9BackupIT extends BackupScenarios {
    Tomcat9BackupIT() {
        super(System.getProperty("tomcat9.version"));
    }
}
