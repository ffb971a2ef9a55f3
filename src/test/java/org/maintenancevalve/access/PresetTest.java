package org.maintenancevalve.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The presets' path rules: endpoints with their methods, static files only, the "/s/.../_/" forward. */
class PresetTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "/images/icons/logo.png", "/images/a.svg", "/static-assets/app.js", "/static-assets/fonts/x.woff2",
        "/download/resources/com.atlassian.auiplugin:ajs/x.css", "/download/batch/com.example:login/login.js",
        "/download/contextbatch/css/_super/batch.css",
        "/download/contextbatch/css/jira.global.look-and-feel,-_super/batch.css", "/favicon.ico",
        "/s/d41d8cd98f00b204e9800998ecf8427e-CDN/-9ahmv2/813001/abc/1.0/_/download/batch/com.example:a/a.js",
        "/s/hash/1/_/download/resources/com.example.login/login.css", "/s/en_GB/8505/k/_/images/icons/a.svg",
        "/s/x/_/favicon.ico", "/s/x/_/static-assets/a.js", "/s/a/b/c/d/_/download/contextbatch/js/_super/batch.js"
    })
    void staticFilesPassForGetAndHead(String path) {
        for (Preset preset : List.of(Preset.JIRA, Preset.CONFLUENCE)) {
            assertTrue(preset.admits("GET", path), preset + " GET " + path);
            assertTrue(preset.admits("HEAD", path), preset + " HEAD " + path);
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get", "PROPFIND")) {
                assertFalse(preset.admits(method, path), preset + " " + method + " " + path);
            }
        }
        assertFalse(Preset.NONE.admits("GET", path), "none admits nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // Actions and JSPs under static folders: extension mappings run them wherever they are.
        "/images/x/Dashboard.jspa", "/download/resources/x/CreateIssue.jspa", "/static-assets/a.action",
        "/download/batch/x/dologin.action", "/images/login.jsp", "/images/a.jspx", "/images/a.do", "/images/a.jspf",
        "/images/a.css/b.jspa", "/images/a.html", "/images/a.json", "/images/a.xml", "/images/a", "/images/",
        "/images/a.CSS", "/images/a.css.", "/images/a.css::$DATA", "/images/a.", "/download/resources/x",
        "/favicon.ico/x.css", "/favicon.icox", "/images", "/image/a.png", "/download/a.css", "/imagesx/a.png",
        "/download/resourcesx/a.css", "/static-assets.js", "/images.png",
        // The forward form: only when what follows the one "/_/" is itself a static file.
        "/s/x/_/secure/Dashboard.jspa", "/s/x/_/rest/api/2/issue", "/s/x/_/secure/CreateIssue.jspa",
        "/s/x/_/WEB-INF/web.xml", "/s/x/_/META-INF/context.xml", "/s/x/_/login.jsp", "/s/x/_/status",
        "/s/x/_/images/x/Dashboard.jspa", "/s/x/_/download/resources/x/CreateIssue.jspa", "/s/x/_/a.css",
        "/s/x/_/download/resources/x.css/_/secure/Dashboard.jspa", "/s/a/_/_/images/a.png",
        "/s/x/_/s/y/_/images/a.png", "/s/x/_/images/_/rest/api/2/issue/1.png", "/s/x/_/images/_/secure/a.png", "/s/_/images/a.png", "/s/images/a.png", "/s/x.css", "/s/app.css",
        "/S/x/_/images/a.png", "/s/x/_/IMAGES/a.png", "/s/x/_/", "/s/x/_", "/s/"
    })
    void everythingElseUnderStaticFoldersIsRefused(String path) {
        for (Preset preset : List.of(Preset.JIRA, Preset.CONFLUENCE)) {
            assertFalse(preset.admits("GET", path), preset + " GET " + path);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "JIRA, /status, GET, true", "JIRA, /status, HEAD, true", "JIRA, /status, POST, false",
        "JIRA, /status, PUT, false", "JIRA, /status, OPTIONS, false",
        "JIRA, /login.jsp, GET, true", "JIRA, /login.jsp, HEAD, true", "JIRA, /login.jsp, POST, true",
        "JIRA, /login.jsp, PUT, false", "JIRA, /login.jsp, DELETE, false",
        "JIRA, /rest/auth/1/session, POST, true", "JIRA, /rest/auth/1/session, DELETE, false",
        "JIRA, /rest/gadget/1.0/login, POST, true", "JIRA, /login.action, GET, false",
        "JIRA, /dologin.action, POST, false",
        "CONFLUENCE, /status, GET, true", "CONFLUENCE, /status, POST, false",
        "CONFLUENCE, /login.action, GET, true", "CONFLUENCE, /dologin.action, POST, true",
        "CONFLUENCE, /dologin.action, PUT, false", "CONFLUENCE, /login.jsp, POST, false",
        "CONFLUENCE, /rest/gadget/1.0/login, POST, false",
        "NONE, /status, GET, false"
    })
    void endpointsPassWithTheirMethodsOnly(Preset preset, String path, String method, boolean admitted) {
        assertEquals(admitted, preset.admits(method, path), preset + " " + method + " " + path);
    }

    @Test
    void endpointsAreExactPaths() {
        for (String path : List.of("/status/", "/Status", "/statusx", "/status.jsp", "/login.jspx", "/x/login.jsp",
                "/rest/auth/1/session/x", "/rest/auth/1")) {
            assertFalse(Preset.JIRA.admits("GET", path), path);
        }
    }

    @Test
    void eachListedEndpointPassesForItsMethodsOnly() {
        for (Preset preset : List.of(Preset.JIRA, Preset.CONFLUENCE)) {
            assertEquals(4, preset.endpoints().size(), preset.endpoints().toString());
            assertEquals("GET HEAD /status", preset.endpoints().get(0));
            for (String entry : preset.endpoints()) {
                List<String> words = List.of(entry.split(" "));
                String path = words.get(words.size() - 1);
                for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE")) {
                    assertEquals(words.subList(0, words.size() - 1).contains(method), preset.admits(method, path),
                            preset + " " + method + " " + path);
                }
            }
        }
        assertEquals(List.of(), Preset.NONE.endpoints());
    }

    @Test
    void eachPresetNamesItsReadPosts() {
        ReadRequests jira = Preset.JIRA.reads();
        for (String path : List.of("/rest/api/2/search", "/rest/api/latest/search", "/rest/issueNav/1/issueTable",
                "/rest/issueNav/1/issueTable/stable", "/secure/QueryComponent!Jql.jspa",
                "/rest/orderbycomponent/latest/orderByOptions/primary", "/secure/AjaxIssueAction!default.jspa",
                "/rest/webResources/1.0/resources")) {
            assertTrue(jira.matches("POST", path), path);
            assertFalse(jira.matches("PUT", path), path);
        }
        assertFalse(jira.matches("POST", "/rest/api/2/issue"));
        assertTrue(Preset.CONFLUENCE.reads().matches("POST", "/rest/webResources/1.0/resources"));
        assertFalse(Preset.CONFLUENCE.reads().matches("POST", "/rest/api/2/search"));
        assertTrue(Preset.NONE.reads().isEmpty());
    }
}
