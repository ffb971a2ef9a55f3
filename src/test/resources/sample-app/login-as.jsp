<%@ page contentType="text/plain; charset=UTF-8" trimDirectiveWhitespaces="true" import="java.security.Principal" %>
<%--
  Stands in for Jira's Seraph login: stores the logged-in user in the session under
  seraph_defaultauthenticator_user, as a java.security.Principal (or, with ?string=1, as a plain
  String, which the valve must not accept).
--%>
<%
    response.setHeader("X-Sample-App", "login-as");
    final String user = request.getParameter("user");
    if (request.getParameter("string") != null) {
        session.setAttribute("seraph_defaultauthenticator_user", user);
    } else {
        session.setAttribute("seraph_defaultauthenticator_user", new Principal() {
            public String getName() { return user; }
            public String toString() { return user; }
        });
    }
%>
SAMPLE-APP logged in
