package org.maintenancevalve.response;

import org.maintenancevalve.state.Mode;

import java.time.Instant;

/**
 * The built-in maintenance page: one self-contained HTML document (inline CSS and a few lines of
 * inline script, no external requests), rendered once per state change and language. Every text
 * that comes from the flag file is escaped.
 * <p>
 * Without script the page says everything in UTC. The script only improves it: it shows the times
 * in the visitor's own time zone, keeps "in about 40 minutes" current (in the {@code role=status}
 * element) and, in full mode, checks the page's URL again after {@code Retry-After} (10 s to 5
 * minutes, plus up to 20 % random jitter so open tabs do not come back all at once) and reloads it
 * as soon as the site answers normally. The retry-after seconds are a slot of the
 * {@link PageBody}, filled per request with the value of the {@code Retry-After} header.
 */
public final class HtmlPage {

    /** Light and dark colours with AA contrast for text (at least 4.5:1 on the card and background). */
    static final String STYLE = ""
            + ":root{color-scheme:light dark;--bg:#eef1f5;--card:#fff;--text:#172b4d;--muted:#44546f;"
            + "--line:#dcdfe4;--accent:#0c66e4;--on:#fff;--soft:#e9f2ff}"
            + "@media (prefers-color-scheme:dark){:root{--bg:#161a1d;--card:#22272b;--text:#dee4ea;"
            + "--muted:#9fadbc;--line:#38414a;--accent:#579dff;--on:#161a1d;--soft:#1c2b41}}"
            + "*{box-sizing:border-box}"
            + "html{height:100%}"
            + "body{margin:0;min-height:100%;display:flex;align-items:center;justify-content:center;"
            + "padding:24px 16px;background:var(--bg);color:var(--text);-webkit-text-size-adjust:100%;"
            + "font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,'Noto Sans',"
            + "'Hiragino Sans','Yu Gothic UI',sans-serif}"
            + "main{width:100%;max-width:560px;background:var(--card);border:1px solid var(--line);"
            + "border-radius:16px;padding:40px;box-shadow:0 1px 2px rgba(9,30,66,.08),0 8px 24px rgba(9,30,66,.08)}"
            + ".icon{width:56px;height:56px;border-radius:14px;background:var(--soft);color:var(--accent);"
            + "display:flex;align-items:center;justify-content:center;margin-bottom:24px}"
            + ".icon svg{width:30px;height:30px;fill:none;stroke:currentColor;stroke-width:2;"
            + "stroke-linecap:round;stroke-linejoin:round}"
            + "h1{font-size:1.75rem;line-height:1.25;margin:0 0 12px;letter-spacing:-.01em}"
            + "#message{margin:0;font-size:1.0625rem;white-space:pre-line;overflow-wrap:anywhere}"
            + "dl{margin:28px 0 0;padding:20px 0 0;border-top:1px solid var(--line);display:grid;gap:16px 24px;"
            + "grid-template-columns:repeat(auto-fit,minmax(190px,1fr))}"
            + "dt{font-size:.8125rem;font-weight:600;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}"
            + "dd{margin:2px 0 0;font-weight:500}"
            + "#eta{display:block;color:var(--muted);font-weight:400}"
            + ".notice{margin:20px 0 0;padding:14px 16px;border-radius:10px;background:var(--soft)}"
            + ".auto{margin:28px 0 0;display:flex;gap:10px;color:var(--muted);font-size:.9375rem}"
            + ".dot{flex:none;width:8px;height:8px;margin-top:.55em;border-radius:50%;background:var(--accent);"
            + "animation:p 2s ease-in-out infinite}"
            + "@keyframes p{50%{opacity:.25}}"
            + "@media (prefers-reduced-motion:reduce){.dot{animation:none}}"
            + "button{margin-top:20px;font:inherit;font-weight:600;color:var(--on);background:var(--accent);"
            + "border:0;border-radius:8px;padding:10px 18px;cursor:pointer}"
            + "button:focus-visible{outline:3px solid var(--text);outline-offset:2px}"
            + "[hidden]{display:none!important}"
            + "@media (max-width:480px){body{padding:16px 12px}main{padding:28px 22px;border-radius:14px}"
            + "h1{font-size:1.5rem}}";

    /**
     * Local times, the countdown, the way back. Reads what it needs from the document: {@code lang},
     * {@code data-retry}, {@code datetime} and the {@code data-} texts of {@code #eta}.
     */
    static final String SCRIPT = ""
            + "(function(){var d=document,h=d.documentElement,L=h.lang,$=function(i){return d.getElementById(i)},"
            + "u=$('until'),e=$('eta'),a=$('auto'),b=$('back'),R=h.getAttribute('data-retry');"
            + "function at(t){return new Date(t.getAttribute('datetime'))}"
            + "function show(t){if(!t)return;var w=at(t),o={hour:'numeric',minute:'2-digit',timeZoneName:'short'};"
            + "if(w.toDateString()!=new Date().toDateString()){o.weekday='long';o.day='numeric';o.month='long'}"
            + "try{var s=new Intl.DateTimeFormat(L,o).format(w);t.title=t.textContent;t.textContent=s}catch(x){}}"
            + "show(u);show($('since'));"
            + "function eta(){var m=(at(u)-Date.now())/6e4,n,v,s;"
            + "if(m<=0)s=e.getAttribute('data-late');else{"
            + "n=m<15?['minute',Math.max(1,Math.round(m))]:m<57.5?['minute',Math.round(m/5)*5]"
            + ":m<2880?['hour',Math.round(m/30)/2]:['day',Math.round(m/1440)];"
            + "try{v=new Intl.NumberFormat(L,{style:'unit',unit:n[0],unitDisplay:'long',maximumFractionDigits:1})"
            + ".format(n[1])}"
            + "catch(x){v=n[1]+' '+n[0]+(n[1]>1?'s':'')}"
            + "s=e.getAttribute('data-about').replace('{0}',v)}"
            + "if(e.textContent!=s)e.textContent=s;setTimeout(eta,15e3)}"
            + "if(u&&e)eta();"
            + "if(b&&history.length>1){b.hidden=false;b.onclick=function(){history.back()}}"
            + "if(!a||!window.fetch)return;"
            + "function wait(r){r=Math.min(300,Math.max(10,+r||300));setTimeout(check,r*(1e3+Math.random()*200))}"
            + "function check(){fetch(location.href,{method:'GET',cache:'no-store',credentials:'same-origin',"
            + "redirect:'manual',headers:{Accept:'text/html'}}).then(function(r){"
            + "if(r.type=='opaqueredirect'||r.status&&r.status<500){location.hash?location.reload():"
            + "location.replace(location.href)}else wait(r.headers.get('Retry-After')||R)},function(){wait(R)})}"
            + "a.hidden=false;wait(R)})();";

    /** An inline favicon (the clock), so the browser does not ask the blocked site for /favicon.ico. */
    static final String FAVICON = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'"
            + " fill='none' stroke='%230c66e4' stroke-width='2.5' stroke-linecap='round' stroke-linejoin='round'%3E"
            + "%3Ccircle cx='12' cy='12' r='9'/%3E%3Cpath d='M12 7v5l3 2'/%3E%3C/svg%3E";

    // Encoded once and shared by every page: the largest part of each page, the same in every language.
    private static final PageBody.Constant HEAD = new PageBody.Constant("\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
            + "<meta name=\"robots\" content=\"noindex\">\n"
            + "<meta name=\"color-scheme\" content=\"light dark\">\n"
            + "<link rel=\"icon\" href=\"" + FAVICON + "\">\n");
    private static final PageBody.Constant STYLE_ELEMENT = new PageBody.Constant(
            "<style>" + STYLE + "</style>\n</head>\n<body>\n");
    private static final PageBody.Constant SCRIPT_ELEMENT = new PageBody.Constant(
            "</main>\n<script>" + SCRIPT + "</script>\n</body>\n</html>\n");

    private static final String CLOCK_ICON = "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M12 7v5l3 2\"/>";
    private static final String EYE_ICON =
            "<path d=\"M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z\"/><circle cx=\"12\" cy=\"12\" r=\"3\"/>";

    private HtmlPage() {
    }

    /**
     * @param mode     full or read-only
     * @param message  the admin's message, or {@code null} for the language's default
     * @param since    when maintenance began, or {@code null}
     * @param until    the expected end, or {@code null}
     * @param language the page's language (see {@link PageLanguage})
     */
    public static PageBody render(Mode mode, String message, Instant since, Instant until, int language) {
        return render(mode, message, since, until, false, language);
    }

    /**
     * As {@link #render(Mode, String, Instant, Instant, int)}; {@code overdue} says the expected end
     * has passed while maintenance is still on, so the page says so even without JavaScript.
     */
    public static PageBody render(Mode mode, String message, Instant since, Instant until, boolean overdue,
            int language) {
        PageSentences texts = PageSentences.of(language);
        boolean readOnly = mode == Mode.READ_ONLY;
        String title = Html.escape(texts.title(mode));
        PageBody.Builder html = new PageBody.Builder(1024);
        html.append("<!DOCTYPE html>\n<html lang=\"").append(texts.code()).append("\" data-retry=\"")
                .retryAfterSlot()
                .append(HEAD)
                .append("<title>").append(title).append("</title>\n")
                .append(STYLE_ELEMENT)
                .append("<main data-mode=\"").append(mode.text()).append("\">\n")
                .append("<div class=\"icon\" aria-hidden=\"true\"><svg viewBox=\"0 0 24 24\">")
                .append(readOnly ? EYE_ICON : CLOCK_ICON).append("</svg></div>\n")
                .append("<h1>").append(title).append("</h1>\n")
                .append("<p id=\"message\">").append(Html.escape(texts.message(mode, message))).append("</p>\n");
        if (readOnly) {
            html.append("<p class=\"notice\">").append(Html.escape(texts.readOnlyNotice(message == null)))
                    .append("</p>\n");
        }
        if (until != null || since != null) {
            html.append("<dl>\n");
            if (until != null) {
                html.append("<div><dt>").append(Html.escape(texts.expectedBack)).append("</dt><dd>")
                        .append("<time id=\"until\" datetime=\"").append(until.toString()).append("\">")
                        .append(Html.escape(texts.utc(until))).append("</time>")
                        .append("<span id=\"eta\" role=\"status\" data-about=\"").append(Html.escape(texts.about))
                        .append("\" data-late=\"").append(Html.escape(texts.late)).append("\">")
                        .append(overdue ? Html.escape(texts.late) : "").append("</span></dd></div>\n");
            }
            if (since != null) {
                html.append("<div><dt>").append(Html.escape(texts.started)).append("</dt><dd>")
                        .append("<time id=\"since\" datetime=\"").append(since.toString()).append("\">")
                        .append(Html.escape(texts.utc(since))).append("</time></dd></div>\n");
            }
            html.append("</dl>\n");
        }
        if (readOnly) {
            html.append("<button type=\"button\" id=\"back\" hidden>").append(Html.escape(texts.goBack))
                    .append("</button>\n");
        } else {
            html.append("<p class=\"auto\" id=\"auto\" hidden><span class=\"dot\" aria-hidden=\"true\"></span>")
                    .append(Html.escape(texts.autoReturn)).append("</p>\n");
        }
        html.append(SCRIPT_ELEMENT);
        return html.build();
    }
}
