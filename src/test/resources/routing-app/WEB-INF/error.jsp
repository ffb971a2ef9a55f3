<%@ page contentType="text/html; charset=UTF-8" session="false" isErrorPage="true" trimDirectiveWhitespaces="true" %>
<%@ include file="/WEB-INF/mark.jspf" %>
<%
    // The app's own error page: an error answer is still the app's answer.
    response.setHeader("X-Routing-App", "error");
%>
ROUTING-APP error status=<%= response.getStatus() %> method=<%= esc(request.getMethod()) %>
