<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%
    long ms = 0;
    try {
        ms = Long.parseLong(request.getParameter("ms"));
    } catch (RuntimeException e) {
        ms = 0;
    }
    ms = Math.max(0, Math.min(ms, 120000));
    try {
        Thread.sleep(ms);
    } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
    }
    response.setHeader("X-Sample-App", "slow");
%>
SAMPLE-APP slow done ms=<%= ms %>
