<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true"
         import="java.util.ArrayList,java.util.List" %>
<%
    // What the mail poller stand-in did with polls checked between from and to (ms since the
    // epoch, both included; default: all): fetched=N skipped=M first=ms last=ms property=value
    long from = request.getParameter("from") == null ? Long.MIN_VALUE : Long.parseLong(request.getParameter("from"));
    long to = request.getParameter("to") == null ? Long.MAX_VALUE : Long.parseLong(request.getParameter("to"));
    @SuppressWarnings("unchecked")
    List<long[]> polls = (List<long[]>) application.getAttribute("mailPolls");
    if (polls == null) {
        response.setStatus(500);
        out.print("the mail poller stand-in has not started");
        return;
    }
    List<long[]> copy;
    synchronized (polls) {
        copy = new ArrayList<long[]>(polls);
    }
    long fetched = 0;
    long skipped = 0;
    long first = 0;
    long last = 0;
    for (long[] poll : copy) {
        if (poll[0] >= from && poll[0] <= to) {
            if (poll[1] == 1) {
                fetched++;
            } else {
                skipped++;
            }
            first = first == 0 ? poll[0] : first;
            last = poll[0];
        }
    }
%>
fetched=<%= fetched %> skipped=<%= skipped %> first=<%= first %> last=<%= last %> property=<%= System.getProperty("atlassian.mail.fetchdisabled") %>
