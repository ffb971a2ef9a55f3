<%@ page contentType="text/html; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="/WEB-INF/esc.jspf" %>
<%
    // A page of "the application" carrying the banner's tag, as an admin adds it to Jira's
    // announcement banner or Confluence's custom HTML. Served under a strict Content-Security-Policy:
    // no inline script, no inline style, nothing from elsewhere.
    //   ?lang=de   the page's <html lang>
    //   ?poll=2    data-poll-seconds on the tag (tests shorten the pace)
    //   ?src=/x/banner.js   the script's path in this context (default /maintenance-valve/banner.js)
    response.setHeader("X-Sample-App", "banner");
    response.setHeader("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'");
    String lang = request.getParameter("lang");
    String poll = request.getParameter("poll");
    String src = request.getParameter("src");
    String context = request.getContextPath();
%>
<!DOCTYPE html>
<html lang="<%= esc(lang == null ? "en" : lang) %>">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SAMPLE-APP</title>
<link rel="icon" href="<%= esc(context) %>/s/icon.svg">
<link rel="stylesheet" href="<%= esc(context) %>/s/page.css">
<script src="<%= esc(context + (src == null ? "/maintenance-valve/banner.js" : src)) %>"<%= poll == null ? "" : " data-poll-seconds=\"" + esc(poll) + "\"" %> defer></script>
</head>
<body>
<header class="top"><span class="logo">SAMPLE-APP</span><nav><a href="#">Dashboards</a><a href="#">Projects</a><a href="#">Issues</a></nav></header>
<main>
<h1>SAMPLE-APP</h1>
<p>The integration tests' stand-in for a Jira page: the application answered this request.</p>
<form method="post" action="<%= esc(context) %>/echo.jsp"><label>Summary <input name="summary" value="Fix the login page"></label> <button type="submit">Save</button></form>
</main>
</body>
</html>
