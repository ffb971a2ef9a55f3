<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%-- Records when the app saw the request (epoch millis), for the load test's "nobody slips in" check. --%>
<% response.setHeader("X-Sample-App", "stamp"); %>
SAMPLE-APP stamp arrived=<%= System.currentTimeMillis() %>
