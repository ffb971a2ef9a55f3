<%@ page contentType="text/plain; charset=UTF-8" session="false" trimDirectiveWhitespaces="true"
         import="java.util.ArrayList,java.util.Collections,java.util.List,java.util.concurrent.Executors,java.util.concurrent.ScheduledExecutorService,java.util.concurrent.ThreadFactory,java.util.concurrent.TimeUnit" %>
<%!
    // A stand-in for Jira's mail handlers and Confluence's mail archive: like theirs, each poll
    // checks Boolean.getBoolean("atlassian.mail.fetchdisabled") and fetches only when it is not
    // true. Instead of fetching it records {time of the check, 1 fetched / 0 skipped} in the
    // context attribute "mailPolls", which mail.jsp reads.
    private ScheduledExecutorService poller;

    public void jspInit() {
        final List<long[]> polls = Collections.synchronizedList(new ArrayList<long[]>());
        getServletConfig().getServletContext().setAttribute("mailPolls", polls);
        poller = Executors.newSingleThreadScheduledExecutor(new ThreadFactory() {
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "mail-poller-stand-in");
                thread.setDaemon(true);
                return thread;
            }
        });
        poller.scheduleWithFixedDelay(new Runnable() {
            public void run() {
                long at = System.currentTimeMillis();
                boolean fetch = !Boolean.getBoolean("atlassian.mail.fetchdisabled");
                if (polls.size() < 200000) {
                    polls.add(new long[] {at, fetch ? 1 : 0});
                }
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    public void jspDestroy() {
        poller.shutdownNow();
    }
%>
mail poller stand-in
