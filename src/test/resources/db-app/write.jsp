<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true"
         import="java.lang.management.ManagementFactory,java.sql.Connection,java.sql.PreparedStatement,java.util.Properties,javax.management.MBeanServer,javax.management.ObjectName" %>
<%!
    /** Whether a MaintenanceValve in this JVM holds users out now (read as the command line reads it, in JMX). */
    private static boolean maintenanceActive() {
        try {
            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName valve : mbeans.queryNames(new ObjectName("Catalina:type=Valve,name=MaintenanceValve,*"), null)) {
                if (Boolean.TRUE.equals(mbeans.getAttribute(valve, "active"))) {
                    return true;
                }
            }
        } catch (Exception e) {
            // not yet
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
%>
<%
    // A write: POST token=<unique> inserts one row and commits before answering 200. A slow write
    // (hold=<ms>) keeps its transaction open that long after the insert; with untilMaintenance=1
    // it first waits (at most 30 s) until maintenance holds users out: a write begun before the
    // window that is still running when it starts, the work run --drain must wait for.
    if (!"POST".equals(request.getMethod())) {
        response.setStatus(405);
        out.print("POST only");
        return;
    }
    String token = request.getParameter("token");
    if (token == null || !token.matches("[A-Za-z0-9_-]{1,80}")) {
        response.setStatus(400);
        out.print("a token of letters, digits, - and _ is needed");
        return;
    }
    long hold = request.getParameter("hold") == null ? 0 : Math.min(30000, Long.parseLong(request.getParameter("hold")));
    boolean untilMaintenance = "1".equals(request.getParameter("untilMaintenance"));
    boolean waited = false;
    try (Connection db = new org.postgresql.Driver().connect(System.getProperty("it.db.url"), new Properties())) {
        db.setAutoCommit(false);
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO writes (token) VALUES (?)")) {
            insert.setString(1, token);
            insert.executeUpdate();
        }
        if (hold > 0 || untilMaintenance) {
            application.setAttribute("holding", token);
            long deadline = System.currentTimeMillis() + 30000;
            while (untilMaintenance && !(waited = maintenanceActive()) && System.currentTimeMillis() < deadline) {
                pause(10);
            }
            pause(hold);
        }
        db.commit();
    } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
    } finally {
        if (token.equals(application.getAttribute("holding"))) {
            application.removeAttribute("holding");
        }
    }
%>
committed=<%= token %> at=<%= System.currentTimeMillis() %> waitedForMaintenance=<%= waited %>
