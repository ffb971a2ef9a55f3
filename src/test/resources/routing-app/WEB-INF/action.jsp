<%@ page contentType="text/html; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="/WEB-INF/mark.jspf" %>
<%
    // An action mapped by extension (*.jspa, *.action), as Jira's and Confluence's are: it runs
    // wherever its path is, and after a forward from /s/.../_/.
    response.setHeader("X-Routing-App", "action");
%>
ROUTING-APP action method=<%= esc(request.getMethod()) %> path=<%= esc(request.getRequestURI()) %> query=<%= esc(request.getQueryString()) %>
