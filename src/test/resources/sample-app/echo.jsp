<%@ page contentType="text/html; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="/WEB-INF/esc.jspf" %>
<%
    // GET, HEAD and POST arrive here; Jasper answers other methods with 405 before this code runs,
    // and WEB-INF/error.jsp (the app's 405 error page) echoes those instead.
    response.setHeader("X-Sample-App", "echo");
%>
SAMPLE-APP method=<%= esc(request.getMethod()) %> path=<%= esc(request.getRequestURI()) %> query=<%= esc(request.getQueryString()) %> localPort=<%= request.getLocalPort() %>
