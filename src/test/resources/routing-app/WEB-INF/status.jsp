<%@ page contentType="application/json; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<% response.setHeader("X-Routing-App", "status"); %>
{"state":"RUNNING","app":"ROUTING-APP status"}
