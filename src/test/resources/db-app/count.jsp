<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true"
         import="java.sql.Connection,java.sql.ResultSet,java.sql.Statement,java.util.Properties" %>
<%
    // A read: how many rows the table holds.
    long rows;
    try (Connection db = new org.postgresql.Driver().connect(System.getProperty("it.db.url"), new Properties());
         Statement query = db.createStatement();
         ResultSet result = query.executeQuery("SELECT count(*) FROM writes")) {
        result.next();
        rows = result.getLong(1);
    } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
    }
%>
count=<%= rows %>
