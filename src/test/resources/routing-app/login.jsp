<%@ page contentType="text/html; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="/WEB-INF/mark.jspf" %>
<% response.setHeader("X-Routing-App", "login"); %>
<!DOCTYPE html>
<html lang="en">
<head>
<title>ROUTING-APP login</title>
<link rel="stylesheet" href="/s/d41d8cd98f00b204e9800998ecf8427e-CDN/-9ahmv2/813001/abc/1.0/_/download/resources/com.example.login/login.css">
<link rel="stylesheet" href="/s/d41d8cd98f00b204e9800998ecf8427e-CDN/-9ahmv2/813001/abc/_/download/contextbatch/css/_super/batch.css">
<script src="/s/d41d8cd98f00b204e9800998ecf8427e-CDN/-9ahmv2/813001/abc/1.0/_/download/batch/com.example.login/login.js"></script>
</head>
<body>
<p>ROUTING-APP login method=<%= esc(request.getMethod()) %> user=<%= esc(request.getParameter("os_username")) %></p>
<img src="/s/en_GB/813001/abc/_/images/icons/logo.svg" alt="">
<form method="post" action="/login.jsp"><input name="os_username"><input name="os_password" type="password"></form>
</body>
</html>
