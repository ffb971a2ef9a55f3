package org.maintenancevalve.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.Mode;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read-only mode: reads pass, and nothing that changes data passes as a read. */
class ReadOnlyRuleTest {

    private static final long NOW = 1_795_000_000L;
    private static final FlagSettings READ_ONLY = FlagSettings.builder().mode(Mode.READ_ONLY).build();

    private static AccessPolicy readOnly(AccessConfig config) {
        List<String> problems = new ArrayList<>();
        AccessPolicy policy = config.policyFor(READ_ONLY, problems::add);
        assertTrue(problems.isEmpty(), problems.toString());
        return policy;
    }

    private static final AccessPolicy JIRA = readOnly(AccessConfig.NONE.withPreset("jira"));
    private static final AccessPolicy CONFLUENCE = readOnly(AccessConfig.NONE.withPreset("confluence"));
    private static final AccessPolicy PLAIN = readOnly(AccessConfig.NONE);

    private static boolean read(AccessPolicy policy, FakeRequest request) {
        AdmittedBy way = policy.admit(request, NOW);
        return way == AdmittedBy.READ_ONLY;
    }

    @Test
    void readingMethodsPass() {
        for (AccessPolicy policy : List.of(JIRA, CONFLUENCE, PLAIN)) {
            for (String method : List.of("GET", "HEAD", "OPTIONS")) {
                assertTrue(read(policy, new FakeRequest().method(method).path("/secure/Dashboard.jspa")
                        .query("selectPageId=10000")), method);
            }
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "get", "CONNECT")) {
                assertNull(policy.admit(new FakeRequest().method(method), NOW), method);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Upgrade: websocket", "upgrade: h2c", "UPGRADE: ", "Connection: Upgrade", "Connection: keep-alive, Upgrade",
        "connection: UPGRADE", "Connection: notupgrade", "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA", "http2-settings: "
    })
    void aGetThatAsksForAnUpgradeIsNoRead(String header) {
        int colon = header.indexOf(':');
        for (AccessPolicy policy : List.of(JIRA, CONFLUENCE, PLAIN)) {
            FakeRequest request = new FakeRequest().path("/plugins/servlet/synchrony").header("Connection", "keep-alive")
                    .header(header.substring(0, colon), header.substring(colon + 1).trim());
            assertNull(policy.admit(request, NOW), header);
        }
    }

    @Test
    void aReadingMethodThatCarriesABodyIsNoReadWithOrWithoutAPreset() {
        for (AccessPolicy policy : List.of(JIRA, CONFLUENCE, PLAIN)) {
            for (String method : List.of("GET", "HEAD", "OPTIONS")) {
                assertNull(policy.admit(new FakeRequest().method(method).body(), NOW), method + " with a body");
                assertNull(policy.admit(new FakeRequest().method(method).body()
                        .header("Content-Type", "multipart/form-data; boundary=x"), NOW), method + " multipart");
                assertTrue(read(policy, new FakeRequest().method(method)), method + " without one");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded; charset=UTF-16", "multipart/form-data; boundary=x",
        "text/plain", "", "application/json"})
    void aReadingMethodWithAContentTypeIsNoReadEvenWithoutABody(String contentType) {
        // With useBodyEncodingForURI="true" (Jira's server.xml) the content type's charset decodes
        // the query: an atl_token written in UTF-16 escapes is not "atl_token" in the raw query.
        for (AccessPolicy policy : List.of(JIRA, CONFLUENCE, PLAIN)) {
            for (String method : List.of("GET", "HEAD", "OPTIONS")) {
                assertNull(policy.admit(new FakeRequest().method(method).query("%00a%00t%00l%00_%00t%00o%00k%00e%00n=x")
                        .header("content-type", contentType), NOW), method + " " + contentType);
            }
        }
    }

    @Test
    void aNamedReadMayCarryABodyEvenWithAReadingMethod() {
        AccessPolicy getWithBody = readOnly(AccessConfig.NONE.withReadOnlyReads("GET /rest/search/1/query"));
        FakeRequest query = new FakeRequest().path("/rest/search/1/query").body().header("Content-Type", "application/json");
        assertTrue(read(getWithBody, query), "the admin named it");
        assertNull(getWithBody.admit(new FakeRequest().path("/rest/search/1/other").body(), NOW), "only that path");
        assertNull(getWithBody.admit(new FakeRequest().path("/rest/search/1/query").raw("/rest/search/1/%71uery")
                .body(), NOW), "in its plain form");
        FakeRequest search = new FakeRequest().method("POST").path("/rest/api/2/search").body()
                .header("Content-Type", "application/json");
        assertTrue(read(JIRA, search), "the preset's read POSTs carry their query in the body");
    }

    @Test
    void aConnectionHeaderWithoutUpgradeIsARead() {
        assertTrue(read(JIRA, new FakeRequest().header("Connection", "keep-alive").header("Connection", "close")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "atl_token=abc", "id=1&action=11&atl_token=B3WY", "ATL_TOKEN=x", "Atl_Token=x", "atl%5Ftoken=x",
        "atl%5ftoken=x", "%61tl_token=x", "%61%74%6c%5f%74%6f%6b%65%6e=x", "a=1;atl_token=x", "atl_token",
        "x=atl_token", "returnUrl=%2Fsecure%3Fatl_token%3Dx", "watch=1&atl_token&x"
    })
    void withAPresetAGetCarryingAnXsrfTokenIsAChange(String query) {
        for (AccessPolicy policy : List.of(JIRA, CONFLUENCE)) {
            assertNull(policy.admit(new FakeRequest().path("/secure/WorkflowUIDispatcher.jspa").query(query), NOW),
                    query);
        }
        assertTrue(read(PLAIN, new FakeRequest().query(query)), "without a preset atl_token means nothing: " + query);
    }

    @ParameterizedTest
    @ValueSource(strings = {"atl_toke=x", "atltoken=x", "atl-token=x", "atl%255Ftoken=x", "atl%5token=x",
        "atl_tokn=x", "a_token=x", "token=x", ""})
    void otherQueriesAreReads(String query) {
        assertTrue(read(JIRA, new FakeRequest().query(query)), query);
    }

    @Test
    void xsrfTokenIsFoundInAnyForm() {
        assertTrue(XsrfToken.in("atl_token"));
        assertTrue(XsrfToken.in("x&ATL%5FTOKEN="));
        assertFalse(XsrfToken.in(null));
        assertFalse(XsrfToken.in("atl_toke"));
        assertFalse(XsrfToken.in("%"));
        assertFalse(XsrfToken.in("atl_tok%"));
    }

    @Test
    void aQueryCutOffInTheNameOrInAnEscapeIsAReadNotAnError() {
        AccessPolicy jira = readOnly(AccessConfig.NONE.withPreset("jira"));
        for (String query : List.of("%61tl_toke", "x=%61tl_toke", "atl_toke%6", "atl_toke%", "%61%74%6c%5f%74%6f%6b%65")) {
            assertFalse(XsrfToken.in(query), query);
            assertTrue(read(jira, new FakeRequest().query(query)), query);
        }
        assertNull(jira.admit(new FakeRequest().query("atl_token=x"), NOW), "the whole name is a change");
        assertTrue(read(readOnly(AccessConfig.NONE), new FakeRequest().query("atl_token=x")), "without a preset");
    }

    @Test
    void withAPresetAGetCarryingTheTokenSkipHeaderIsAChange() {
        FakeRequest request = new FakeRequest().path("/secure/WorkflowUIDispatcher.jspa").query("id=1&action=11")
                .header("X-Atlassian-Token", "no-check");
        assertNull(JIRA.admit(request, NOW));
        assertNull(CONFLUENCE.admit(request, NOW));
        assertTrue(read(PLAIN, request), "no preset: an unknown header");
    }

    @Test
    void thePresetsReadPostsPassAndOnlyThey() {
        for (String path : List.of("/rest/api/2/search", "/rest/issueNav/1/issueTable", "/rest/webResources/1.0/resources",
                "/secure/QueryComponent!Jql.jspa")) {
            FakeRequest post = new FakeRequest().method("POST").path(path).header("X-Atlassian-Token", "no-check");
            assertTrue(read(JIRA, post), "Jira's read POST " + path);
            assertNull(PLAIN.admit(new FakeRequest().method("POST").path(path), NOW), "no preset: " + path);
        }
        assertTrue(read(CONFLUENCE, new FakeRequest().method("POST").path("/rest/webResources/1.0/resources")));
        assertNull(CONFLUENCE.admit(new FakeRequest().method("POST").path("/rest/api/2/search"), NOW));
        for (String path : List.of("/rest/api/2/issue", "/rest/api/2/search/", "/rest/api/2/Search",
                "/rest/api/2/search/x", "/secure/CreateIssue.jspa", "/rest/issueNav/1/issueTable/sessionSearch")) {
            assertNull(JIRA.admit(new FakeRequest().method("POST").path(path), NOW), path);
        }
        assertNull(JIRA.admit(new FakeRequest().method("PUT").path("/rest/api/2/search"), NOW), "POST only");
    }

    @Test
    void aReadPostMustBeCanonicalAskNoUpgradeAndCarryNoToken() {
        FakeRequest notCanonical = new FakeRequest().method("POST").path("/rest/api/2/search")
                .raw("/rest/api/2/search;x=1");
        assertNull(JIRA.admit(notCanonical, NOW), "raw path differs");
        assertNull(JIRA.admit(new FakeRequest().method("POST").path("/rest/api/2/search").raw("/rest/api/2/%73earch"),
                NOW));
        assertNull(JIRA.admit(new FakeRequest().method("POST").path("/rest/api/2/search").raw(null), NOW));
        assertNull(JIRA.admit(new FakeRequest().method("POST").path("/rest/api/2/search").header("Upgrade", "h2c"), NOW));
        assertNull(JIRA.admit(new FakeRequest().method("POST").path("/rest/api/2/search").query("atl_token=x"), NOW));
    }

    @Test
    void adminsAddTheirOwnReads() {
        AccessPolicy policy = readOnly(AccessConfig.NONE.withPreset("jira")
                .withReadOnlyReads(" POST /rest/foo/1/query ,REPORT /dav/x"));
        assertTrue(read(policy, new FakeRequest().method("POST").path("/rest/foo/1/query")));
        assertTrue(read(policy, new FakeRequest().method("REPORT").path("/dav/x")));
        assertTrue(read(policy, new FakeRequest().method("POST").path("/rest/api/2/search")), "the preset's still");
        assertNull(policy.admit(new FakeRequest().method("POST").path("/rest/foo/1/query/x"), NOW), "exact path");
        assertNull(policy.admit(new FakeRequest().method("post").path("/rest/foo/1/query"), NOW), "method as sent");
        AccessPolicy withoutPreset = readOnly(AccessConfig.NONE.withReadOnlyReads("POST /graphql/query"));
        assertTrue(read(withoutPreset, new FakeRequest().method("POST").path("/graphql/query")));
        assertEquals("POST /rest/foo/1/query, REPORT /dav/x",
                AccessConfig.NONE.withReadOnlyReads(" POST /rest/foo/1/query ,REPORT /dav/x").readOnlyReads());
    }

    @Test
    void aReadEntrysMethodIsAnyHttpTokenAndItsPathMayBeTheRoot() {
        String entries = "aAzZ09 /x, ! /y, ~ /z, POST /, POST /graph-ql";
        AccessPolicy policy = readOnly(AccessConfig.NONE.withReadOnlyReads(entries));
        for (String entry : AccessConfig.split(entries)) {
            String[] parts = entry.split(" ");
            assertTrue(read(policy, new FakeRequest().method(parts[0]).path(parts[1])), entry);
        }
        assertNull(policy.admit(new FakeRequest().method("POST").path("/x"), NOW), "each path with its own method");
        assertEquals(entries, AccessConfig.NONE.withReadOnlyReads(entries).readOnlyReads());
    }

    @Test
    void thePresetsReadsAreListedAsWritten() {
        assertEquals(List.of("POST /rest/webResources/1.0/resources"), Preset.CONFLUENCE.reads().entries());
        assertEquals("POST /rest/api/2/search", Preset.JIRA.reads().entries().get(0));
        assertEquals(8, Preset.JIRA.reads().entries().size());
        assertFalse(Preset.JIRA.reads().isEmpty());
        assertTrue(Preset.NONE.reads().entries().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/rest/foo", "POST", "POST rest/foo", "POST /rest/foo extra", "POST /rest/foo/",
        "POST /rest/../foo", "POST /rest/%66oo", "POST /rest;x/foo", "POST //rest", "PO(ST /rest/foo",
        "POST /rest/foo?x=1", "POST /rest/foo#x", "PO@ST /rest/foo", "PO[ST /rest/foo", "PO{ST /rest/foo",
        "PO:ST /rest/foo", "PO/ST /rest/foo"})
    void aBadReadEntryIsRefusedNamingIt(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessConfig.NONE.withReadOnlyReads("POST /ok, " + entry));
        assertTrue(e.getMessage().contains(entry.trim()), e.getMessage());
    }

    @Test
    void fullModeIgnoresReads() {
        List<String> problems = new ArrayList<>();
        AccessPolicy full = AccessConfig.NONE.withPreset("jira").policyFor(FlagSettings.DEFAULTS, problems::add);
        assertNull(full.admit(new FakeRequest().method("GET"), NOW));
        assertNull(full.admit(new FakeRequest().method("POST").path("/rest/api/2/search"), NOW));
    }
}
