<%@ page contentType="text/html; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="/WEB-INF/esc.jspf" %>
<%
    // The app's error page for 404 and 405 (see web.xml), so that these answers also carry
    // SAMPLE-APP. An ERROR dispatch skips Jasper's "JSPs only permit GET, POST or HEAD" check, so
    // a PUT/DELETE/PATCH/... to /echo.jsp, which Jasper answers with 405, is echoed here with 200.
    // Attribute names, not types, keep this page the same for javax (8.5/9) and jakarta (10.1/11).
    int code = pageContext.getErrorData().getStatusCode();
    String uri = pageContext.getErrorData().getRequestURI();
    // Tomcat 11 (Servlet 6.1) reports GET as the method of an error dispatch; the original is here:
    Object method = request.getAttribute("jakarta.servlet.error.method");
    if (method == null) {
        method = request.getMethod();
    }
    Object query = request.getAttribute("jakarta.servlet.error.query_string");
    if (query == null) {
        query = request.getAttribute("jakarta.servlet.forward.query_string");
    }
    if (query == null) {
        query = request.getAttribute("javax.servlet.forward.query_string");
    }
    if (query == null) {
        query = request.getQueryString();
    }
    if (code == 405 && (request.getContextPath() + "/echo.jsp").equals(uri)) {
        response.setStatus(200);
        response.setHeader("X-Sample-App", "echo");
%>
SAMPLE-APP method=<%= esc(method) %> path=<%= esc(uri) %> query=<%= esc(query) %>
<%
    } else {
        response.setHeader("X-Sample-App", "error");
%>
SAMPLE-APP error <%= code %> method=<%= esc(method) %> path=<%= esc(uri) %>
<%
    }
%>
