package org.maintenancevalve.config;

/**
 * The one wording of the warning about an {@code adminPort} that names an AJP connector, shared by
 * the valve's start-up log and {@code check}. Such a port lets every user in: a front end (Apache
 * httpd's mod_jk or mod_proxy_ajp, IIS) sends all its users' requests through that connector.
 */
public final class AjpAdminPort {

    /** How to do it instead, as one sentence without a full stop. */
    public static final String FIX = "take it out of adminPort and give admins an HTTP connector of their own,"
            + " bound to 127.0.0.1 and reached through an SSH tunnel";

    private AjpAdminPort() {
    }

    /** What is wrong, as one sentence without a full stop. */
    public static String problem(int port) {
        return "adminPort " + port + " is an AJP connector: every request an AJP front end forwards (Apache httpd's"
                + " mod_jk or mod_proxy_ajp, IIS) arrives on it, so during maintenance every user of that front end"
                + " passes";
    }
}
