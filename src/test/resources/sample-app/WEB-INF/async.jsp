<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %><%
    // Servlet 3 async, the way long polls and REST resources that answer from another thread work:
    // the container thread returns at once and another thread ends the request later, once the file
    // named by ?release= exists (at most after 60 s). It then writes and calls complete(), or with
    // &dispatch=1 dispatches the request back here (how Spring's DeferredResult resumes), where the
    // second pass writes. ?started= names a file created once the request is async. Without
    // ?release=, nothing ends it but Tomcat's async timeout (?timeout=, ms). Mapped as /async in
    // web.xml, where it is async-supported.
    response.setHeader("X-Sample-App", "async");
    if (request.getAttribute("sample.async.dispatched") != null) {
        out.print("SAMPLE-APP async done (dispatched)");
        return;
    }
    String releaseFile = request.getParameter("release");
    final boolean dispatch = "1".equals(request.getParameter("dispatch"));
    long timeout = 120000;
    try {
        timeout = Long.parseLong(request.getParameter("timeout"));
    } catch (RuntimeException e) {
        timeout = 120000;
    }
    request.setAttribute("sample.async.dispatched", Boolean.TRUE);
    request.startAsync().setTimeout(timeout);
    if (request.getParameter("started") != null) {
        new java.io.File(request.getParameter("started")).createNewFile();
    }
    if (releaseFile == null) {
        return;
    }
    final java.io.File release = new java.io.File(releaseFile);
    Thread finisher = new Thread(new Runnable() {
        public void run() {
            // Counted, not timed: Tomcat 8.5's JSP compiler cannot read java.lang.System on Java 17.
            for (int i = 0; i < 3000 && !release.exists(); i++) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                if (dispatch) {
                    request.getAsyncContext().dispatch();
                } else {
                    response.getWriter().print("SAMPLE-APP async done");
                    request.getAsyncContext().complete();
                }
            } catch (Exception e) {
                // timed out meanwhile, or the client went away: Tomcat has ended the request
            }
        }
    }, "sample-app-async");
    finisher.setDaemon(true);
    finisher.start();
%>
