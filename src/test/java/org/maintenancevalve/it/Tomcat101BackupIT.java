package org.maintenancevalve.it;

/** The consistent backup on PostgreSQL, and incoming mail, on Tomcat 10.1 (system property tomcat101.version). */
class Tomcat101BackupIT extends BackupScenarios {
    Tomcat101BackupIT() {
        super(System.getProperty("tomcat101.version"));
    }
}
