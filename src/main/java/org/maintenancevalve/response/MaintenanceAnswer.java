package org.maintenancevalve.response;

import org.apache.catalina.connector.Response;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.maintenancevalve.state.MaintenanceState;
import org.maintenancevalve.state.Mode;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * What a blocked client gets while one maintenance state is in force: {@code 503}, a
 * {@code Retry-After}, {@code Cache-Control: no-store}, and the HTML page (in the visitor's
 * language) or the JSON body. Bodies are rendered once, when the state changes (or a template
 * file changes): one page per {@link PageLanguage}. Per request only the language is chosen and
 * {@code Retry-After} computed; the pages and the JSON carry that number in a slot.
 */
public final class MaintenanceAnswer {

    public static final int STATUS = 503;
    private static final String HTML_TYPE = "text/html;charset=UTF-8";
    private static final String JSON_TYPE = "application/json;charset=UTF-8";
    static final String VARY = "Accept, Accept-Language, X-Requested-With";

    /** One page per language number; several may be the same object (one template for all). */
    private final PageBody[] pages;
    /** The {@code Content-Language} of each page, or {@code null} when it is unknown (main template). */
    private final String[] contentLanguages;
    private final TemplateSet templates;
    private final JsonBody json;
    private final long untilMillis;
    private final int defaultRetryAfterSeconds;
    /** The default as header text, made once: most blocked requests send it. */
    private final String defaultRetryAfter;

    private MaintenanceAnswer(PageBody[] pages, String[] contentLanguages, TemplateSet templates, JsonBody json,
            Instant until, int defaultRetryAfterSeconds) {
        this.pages = pages;
        this.contentLanguages = contentLanguages;
        this.templates = templates;
        this.json = json;
        this.untilMillis = until == null ? Long.MIN_VALUE : until.toEpochMilli();
        this.defaultRetryAfterSeconds = defaultRetryAfterSeconds;
        this.defaultRetryAfter = Integer.toString(defaultRetryAfterSeconds);
    }

    /**
     * Renders the answer for an active state with the built-in page.
     *
     * @param state                    the state in force (its settings give mode, message, until)
     * @param defaultRetryAfterSeconds the {@code Retry-After} when no end is announced or it has passed
     */
    public static MaintenanceAnswer render(MaintenanceState state, int defaultRetryAfterSeconds) {
        return render(state, defaultRetryAfterSeconds, TemplateSet.NONE);
    }

    /**
     * Renders the answer for an active state: for each language, that language's template if there
     * is one, else the main template, else the built-in page.
     *
     * @param templates the admin's templates as read now ({@link TemplateSet#NONE} for none)
     */
    public static MaintenanceAnswer render(MaintenanceState state, int defaultRetryAfterSeconds,
            TemplateSet templates) {
        Mode mode = state.settings().mode();
        String message = state.settings().message();
        Instant since = state.since();
        Instant until = state.settings().until();
        int n = PageLanguage.count();
        PageBody[] pages = new PageBody[n];
        String[] contentLanguages = new String[n];
        PageBody main = templates.main() == null ? null
                : PageTemplate.render(templates.main(), PageLanguage.ENGLISH, mode, message, since, until);
        for (int i = 0; i < n; i++) {
            String own = templates.forLanguage(i);
            if (own != null) {
                pages[i] = PageTemplate.render(own, i, mode, message, since, until);
                contentLanguages[i] = PageLanguage.code(i);
            } else if (main != null) {
                pages[i] = main;
            } else {
                pages[i] = HtmlPage.render(mode, message, since, until, state.isOverdue(), i);
                contentLanguages[i] = PageLanguage.code(i);
            }
        }
        return new MaintenanceAnswer(pages, contentLanguages, templates,
                JsonBody.render(mode, message, since, until), until, defaultRetryAfterSeconds);
    }

    /**
     * The answer used when anything goes wrong while rendering: full maintenance, default texts,
     * the built-in page in English for everyone.
     */
    public static MaintenanceAnswer fallback(int defaultRetryAfterSeconds) {
        PageBody english = HtmlPage.render(Mode.FULL, null, null, null, PageLanguage.ENGLISH);
        PageBody[] pages = new PageBody[PageLanguage.count()];
        String[] contentLanguages = new String[pages.length];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = english;
            contentLanguages[i] = PageLanguage.code(PageLanguage.ENGLISH);
        }
        return new MaintenanceAnswer(pages, contentLanguages, TemplateSet.NONE,
                JsonBody.render(Mode.FULL, null, null, null), null, defaultRetryAfterSeconds);
    }

    /** Seconds until the announced end (at least 1), or the default when there is none or it passed. */
    public long retryAfterSeconds(long nowMillis) {
        if (untilMillis > nowMillis) {
            long millis = untilMillis - nowMillis;
            return Math.max(1, (millis + 999) / 1000);
        }
        return defaultRetryAfterSeconds;
    }

    /** The rendered page of language number {@code language}. */
    public PageBody page(int language) {
        return pages[language];
    }

    /** The {@code Content-Language} sent with that page, or {@code null}. */
    public String contentLanguage(int language) {
        return contentLanguages[language];
    }

    /** The templates this answer was rendered from. */
    public TemplateSet templates() {
        return templates;
    }

    /** The rendered JSON in its two parts. */
    public JsonBody json() {
        return json;
    }

    /**
     * Writes the answer a request gets: JSON or HTML as {@link ContentNegotiation} decides, the
     * page in the language of its {@code Accept-Language}. The three headers that decide are
     * found in one pass over the request's headers, read as the bytes Tomcat holds.
     *
     * @param requestHeaders the request's headers (Tomcat's coyote request)
     * @param path           the decoded path relative to the context
     * @param headOnly       whether to send the headers only (a {@code HEAD} request)
     */
    public void writeTo(Response response, MimeHeaders requestHeaders, String path, boolean headOnly,
            long nowMillis) throws IOException {
        MessageBytes accept = null;
        MessageBytes requestedWith = null;
        MessageBytes acceptLanguage = null;
        for (int i = 0, n = requestHeaders.size(); i < n; i++) {
            MessageBytes name = requestHeaders.getName(i);
            // The length first: most headers are none of the three, and that settles it.
            switch (name.getLength()) {
                case 6:
                    if (accept == null && name.equalsIgnoreCase("Accept")) {
                        accept = requestHeaders.getValue(i);
                    }
                    break;
                case 15:
                    if (acceptLanguage == null && name.equalsIgnoreCase("Accept-Language")) {
                        acceptLanguage = requestHeaders.getValue(i);
                    }
                    break;
                case 16:
                    if (requestedWith == null && name.equalsIgnoreCase("X-Requested-With")) {
                        requestedWith = requestHeaders.getValue(i);
                    }
                    break;
                default:
                    break;
            }
        }
        boolean json = ContentNegotiation.wantsJson(accept, requestedWith, path);
        writeTo(response, json, headOnly, nowMillis, json ? null : acceptLanguage);
    }

    /** Writes the answer with the English page; see {@link #writeTo(Response, boolean, boolean, long, MessageBytes)}. */
    public void writeTo(Response response, boolean asJson, boolean headOnly, long nowMillis) throws IOException {
        writeTo(response, asJson, headOnly, nowMillis, (MessageBytes) null);
    }

    /** {@link #writeTo(Response, boolean, boolean, long, MessageBytes)} with the header held as a String. */
    public void writeTo(Response response, boolean asJson, boolean headOnly, long nowMillis, String acceptLanguage)
            throws IOException {
        writeTo(response, asJson, headOnly, nowMillis, HeaderBytes.of(acceptLanguage));
    }

    /**
     * Writes the answer. Uses {@code setStatus} and the output stream, never {@code sendError}, so
     * no error page replaces the body.
     *
     * @param asJson         whether to send the JSON body (else the HTML page)
     * @param headOnly       whether to send the headers only (a {@code HEAD} request)
     * @param acceptLanguage the request's {@code Accept-Language} as Tomcat holds it, or {@code null}
     */
    public void writeTo(Response response, boolean asJson, boolean headOnly, long nowMillis,
            MessageBytes acceptLanguage) throws IOException {
        String retryAfter = untilMillis > nowMillis ? Long.toString(retryAfterSeconds(nowMillis)) : defaultRetryAfter;
        response.setStatus(STATUS);
        response.setHeader("Retry-After", retryAfter);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Vary", VARY);
        // The bodies are UTF-8 bytes already and the content types say so. They are set on Tomcat's
        // coyote response as they are: Catalina's setContentType would parse the charset out to set
        // up an encoder that writing bytes never uses. A charset set before us would be appended
        // to ours, so it is cleared.
        org.apache.coyote.Response coyote = response.getCoyoteResponse();
        coyote.setCharacterEncoding(null);
        if (asJson) {
            coyote.setContentTypeNoCharset(JSON_TYPE);
            response.setContentLength(json.length(retryAfter));
            if (!headOnly) {
                OutputStream out = ResponseStream.of(response);
                json.writeTo(out, retryAfter);
                out.flush();
            }
        } else {
            int language = PageLanguage.choose(acceptLanguage);
            PageBody page = pages[language];
            coyote.setContentTypeNoCharset(HTML_TYPE);
            String contentLanguage = contentLanguages[language];
            if (contentLanguage != null) {
                response.setHeader("Content-Language", contentLanguage);
            }
            response.setContentLength(page.length(retryAfter));
            if (!headOnly) {
                OutputStream out = ResponseStream.of(response);
                page.writeTo(out, retryAfter);
                out.flush();
            }
        }
    }

    /**
     * Links what writing an answer needs from Tomcat, so a Tomcat that lacks it is found when the
     * valve starts, not on the first blocked request.
     *
     * @throws LinkageError when Tomcat's response cannot give its output stream
     */
    public static void linkToTomcat() {
        ResponseStream.link();
    }
}
