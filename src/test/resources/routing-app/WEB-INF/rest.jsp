<%@ page contentType="application/json; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="/WEB-INF/mark.jspf" %>
<%
    // The REST servlet on /rest/*: every method it gets is served (a real one would create issues).
    response.setHeader("X-Routing-App", "rest");
%>
{"app":"ROUTING-APP rest","method":"<%= esc(request.getMethod()) %>","path":"<%= esc(request.getRequestURI()) %>"}
