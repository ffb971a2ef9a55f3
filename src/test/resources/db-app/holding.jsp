<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%
    // The token of the slow write that has inserted its row and holds its transaction open.
    Object holding = application.getAttribute("holding");
%>
holding=<%= holding == null ? "" : holding %>
