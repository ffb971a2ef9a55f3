package org.maintenancevalve.response;

import org.maintenancevalve.state.Mode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The built-in maintenance page: one self-contained HTML document (inline CSS, no external
 * resources), rendered once per state change. Every text that comes from the flag file is escaped.
 */
public final class HtmlPage {

    private static final DateTimeFormatter HUMAN_UTC =
            DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static final String STYLE = ""
            + ":root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#172b4d;--muted:#505f79;--accent:#0052cc}"
            + "@media (prefers-color-scheme:dark){:root{--bg:#1d2125;--card:#22272b;--text:#dee4ea;--muted:#9fadbc;--accent:#579dff}}"
            + "*{box-sizing:border-box}"
            + "body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;"
            + "background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;padding:1rem}"
            + "main{background:var(--card);max-width:36rem;width:100%;border-radius:12px;padding:2rem;"
            + "box-shadow:0 1px 3px rgba(0,0,0,.15);border-top:6px solid var(--accent)}"
            + "h1{font-size:1.5rem;margin:0 0 .75rem}"
            + "p{margin:.5rem 0;white-space:pre-line}"
            + ".meta{color:var(--muted);font-size:.95rem}";

    private HtmlPage() {
    }

    /**
     * @param mode    full or read-only
     * @param message the admin's message, or {@code null} for the default
     * @param since   when maintenance began, or {@code null}
     * @param until   the expected end, or {@code null}
     */
    public static String render(Mode mode, String message, Instant since, Instant until) {
        String title = mode == Mode.READ_ONLY ? "Read-only during maintenance" : "Down for maintenance";
        String text = message != null ? message : Messages.defaultMessage(mode);
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n")
                .append("<meta name=\"robots\" content=\"noindex\">\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>").append(Html.escape(title)).append("</h1>\n")
                .append("<p id=\"message\">").append(Html.escape(text)).append("</p>\n");
        if (until != null) {
            html.append("<p class=\"meta\">Expected back: <time datetime=\"").append(until)
                    .append("\">").append(Html.escape(HUMAN_UTC.format(until))).append("</time></p>\n");
        }
        if (since != null) {
            html.append("<p class=\"meta\">Maintenance started: <time datetime=\"").append(since)
                    .append("\">").append(Html.escape(HUMAN_UTC.format(since))).append("</time></p>\n");
        }
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }
}
