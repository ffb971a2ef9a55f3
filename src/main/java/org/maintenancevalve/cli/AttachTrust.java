package org.maintenancevalve.cli;

/**
 * Which local Tomcat JVMs the tools may attach to. A JMX client deserialises what the server
 * sends, so connecting to a JVM means trusting its owner: only a JVM run by the flag file's owner
 * (the user Tomcat runs as), or the one whose pid {@code $CATALINA_PID} names, is asked; and root
 * never trusts a JVM of another user (run the tool as that user, or name the JVM with {@code --jmx}).
 */
final class AttachTrust {

    private AttachTrust() {
    }

    /**
     * @param pid         the JVM's process id
     * @param jvmOwner    the user the JVM runs as, or {@code null} when it cannot be told (no /proc)
     * @param flagOwner   the owner of the flag file (of its directory when there is no file), or {@code null}
     * @param catalinaPid the pid in the file {@code $CATALINA_PID} names, or {@code null}
     * @param me          the user this tool runs as
     * @return {@code null} when the JVM is trusted, else why not, with the way out
     */
    static String distrust(String pid, String jvmOwner, String flagOwner, String catalinaPid, String me) {
        boolean root = "root".equals(me);
        if (root && !"root".equals(jvmOwner)) {
            String user = jvmOwner == null ? "another user" : jvmOwner;
            return "runs as " + user + ": as root, a JVM of another user is not trusted (run this as "
                    + (jvmOwner == null ? "that user" : jvmOwner + ", e.g. sudo -u " + jvmOwner + " java -jar ...")
                    + ", or give --jmx HOST:PORT)";
        }
        if (pid.equals(catalinaPid)) {
            return null;
        }
        // Without /proc the attach API reaches this user's own JVMs only.
        String owner = jvmOwner == null ? me : jvmOwner;
        if (flagOwner == null || flagOwner.equals(owner)) {
            return null;
        }
        return "runs as " + owner + " but the flag file belongs to " + flagOwner
                + " (set CATALINA_PID to that Tomcat's pid file, or give --jmx HOST:PORT)";
    }
}
