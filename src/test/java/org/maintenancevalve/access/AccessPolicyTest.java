package org.maintenancevalve.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.maintenancevalve.state.FlagFileParser;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;
import org.maintenancevalve.state.Mode;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class AccessPolicyTest {

    private static final long NOW = 1_795_000_000L;
    private static final String SECRET = "a-long-enough-secret-1234";
    private static final String SEAT = AccessConfig.DEFAULT_SESSION_USER_ATTRIBUTE;

    private static AccessPolicy policy(AccessConfig config, FlagSettings settings) {
        List<String> problems = new ArrayList<>();
        AccessPolicy policy = config.policyFor(settings, problems::add);
        assertTrue(problems.isEmpty(), problems.toString());
        return policy;
    }

    private static AccessPolicy policy(AccessConfig config) {
        return policy(config, FlagSettings.DEFAULTS);
    }

    @ParameterizedTest
    @CsvSource({
        "FULL, GET, false", "FULL, HEAD, false", "FULL, POST, false",
        "READ_ONLY, GET, true", "READ_ONLY, HEAD, true", "READ_ONLY, OPTIONS, true",
        "READ_ONLY, POST, false", "READ_ONLY, PUT, false", "READ_ONLY, DELETE, false",
        "READ_ONLY, PATCH, false", "READ_ONLY, TRACE, false", "READ_ONLY, get, false", "READ_ONLY, PROPFIND, false"
    })
    void readOnlyLetsOnlyReadingMethodsThrough(Mode mode, String method, boolean admitted) {
        AdmittedBy way = new AccessPolicy(mode).admit(new FakeRequest().method(method), NOW);
        assertEquals(admitted, way != null, mode + " " + method);
    }

    @Test
    void nothingConfiguredLetsNobodyThrough() {
        assertNull(policy(AccessConfig.NONE).admit(new FakeRequest().from("127.0.0.1").path("/status"), NOW));
    }

    @Test
    void addressesPassUnlessAForwardingHeaderIsPresent() {
        AccessPolicy policy = policy(AccessConfig.NONE.withAllow("10.1.2.3, 192.168.0.0/24, ::1"));
        assertEquals(AdmittedBy.ADDRESS, policy.admit(new FakeRequest().from("10.1.2.3"), NOW));
        assertEquals(AdmittedBy.ADDRESS, policy.admit(new FakeRequest().from("192.168.0.77"), NOW));
        assertEquals(AdmittedBy.ADDRESS, policy.admit(new FakeRequest().from("0:0:0:0:0:0:0:1"), NOW));
        assertNull(policy.admit(new FakeRequest().from("10.1.2.30"), NOW));
        assertNull(policy.admit(new FakeRequest().from("192.168.1.1"), NOW));
        assertNull(policy.admit(new FakeRequest().from("10.1.2.3").forwarded(), NOW), "proxied: not by address");
    }

    @Test
    void theFlagFileAddsAddressesForOneWindow() {
        FlagSettings settings = FlagSettings.builder().allow(List.of("203.0.113.7")).build();
        AccessPolicy policy = policy(AccessConfig.NONE.withAllow("10.1.2.3"), settings);
        assertEquals(AdmittedBy.ADDRESS, policy.admit(new FakeRequest().from("203.0.113.7"), NOW));
        assertEquals(AdmittedBy.ADDRESS, policy.admit(new FakeRequest().from("10.1.2.3"), NOW));
    }

    @Test
    void aBadFlagFileAddressGrantsNothingAndIsReported() {
        FlagSettings settings = FlagSettings.builder().allow(List.of("203.0.113.7", "everyone")).build();
        List<String> problems = new ArrayList<>();
        AccessPolicy policy = AccessConfig.NONE.policyFor(settings, problems::add);
        assertNull(policy.admit(new FakeRequest().from("203.0.113.7"), NOW));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("everyone"));
    }

    @Test
    void adminPortsPass() {
        AccessPolicy policy = policy(AccessConfig.NONE.withAdminPort("8081, 8444"));
        assertEquals(AdmittedBy.PORT, policy.admit(new FakeRequest().port(8081), NOW));
        assertEquals(AdmittedBy.PORT, policy.admit(new FakeRequest().port(8444), NOW));
        assertNull(policy.admit(new FakeRequest().port(8080), NOW));
        AccessPolicy edges = policy(AccessConfig.NONE.withAdminPort("1, 65535"));
        assertEquals(AdmittedBy.PORT, edges.admit(new FakeRequest().port(1), NOW));
        assertEquals(AdmittedBy.PORT, edges.admit(new FakeRequest().port(65535), NOW));
        for (String port : List.of("0", "65536", "-1")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> AccessConfig.NONE.withAdminPort(port))
                    .getMessage().contains("is not a port number (1-65535)"), port);
        }
    }

    @Test
    void aRequestWithoutAConnectorPortNeverPassesByPort() {
        // -1: no connector, or one without a port (a Unix domain socket); 0: a connector not bound yet.
        AccessPolicy policy = policy(AccessConfig.NONE.withAdminPort("8081"));
        assertNull(policy.admit(new FakeRequest().port(-1), NOW));
        assertNull(policy.admit(new FakeRequest().port(0), NOW));
    }

    @Test
    void theConfigurationSaysWhichPortsAreAdminPorts() {
        AccessConfig config = AccessConfig.NONE.withAdminPort("8081, 8009");
        assertTrue(config.isAdminPort(8081));
        assertTrue(config.isAdminPort(8009));
        assertFalse(config.isAdminPort(8080));
        assertFalse(AccessConfig.NONE.isAdminPort(8081));
    }

    @Test
    void adminUsersPassByExactName() {
        AccessPolicy policy = policy(AccessConfig.NONE.withAdminUsers("admin, jsmith"));
        assertEquals(AdmittedBy.USER, policy.admit(new FakeRequest().user(SEAT, "jsmith"), NOW));
        assertNull(policy.admit(new FakeRequest().user(SEAT, "JSmith"), NOW), "names differing in case");
        assertNull(policy.admit(new FakeRequest().user(SEAT, "jsmith "), NOW));
        assertNull(policy.admit(new FakeRequest().user("other", "jsmith"), NOW), "other attribute");
        assertNull(policy.admit(new FakeRequest(), NOW), "no session user");
        AccessPolicy custom = policy(AccessConfig.NONE.withAdminUsers("admin").withSessionUserAttribute("other"));
        assertEquals(AdmittedBy.USER, custom.admit(new FakeRequest().user("other", "admin"), NOW));
    }

    @Test
    void aClientIsAdmittedByItsOwnWaysOnlyNotByWhatItAsksFor() {
        FlagSettings readOnly = FlagSettings.builder().mode(Mode.READ_ONLY).build();
        AccessPolicy policy = policy(AccessConfig.NONE.withPreset("jira").withAllowPaths("/maintenance-valve/")
                .withAllow("10.1.2.3").withAdminPort("8081").withAdminUsers("admin").withBypassSecret(SECRET), readOnly);
        FakeRequest status = new FakeRequest().path("/maintenance-valve/status.json");
        assertEquals(AdmittedBy.PATH, policy.admit(status, NOW), "the request itself passes by its path");
        assertFalse(policy.admitsClient(status, NOW), "which says nothing about the client");
        FakeRequest read = new FakeRequest().path("/secure/Dashboard.jspa");
        assertEquals(AdmittedBy.READ_ONLY, policy.admit(read, NOW));
        assertFalse(policy.admitsClient(read, NOW), "nor does reading in read-only mode");
        assertFalse(policy.admitsClient(new FakeRequest().path("/status"), NOW), "nor the preset's paths");
        assertFalse(policy.admitsClient(new FakeRequest().from("10.1.2.3").forwarded(), NOW));
        assertFalse(policy.admitsClient(new FakeRequest().user(SEAT, "jdoe"), NOW));
        assertFalse(policy.admitsClient(new FakeRequest().cookie(BypassLink.NAME, "forged"), NOW));

        assertTrue(policy.admitsClient(new FakeRequest().from("10.1.2.3"), NOW), "address");
        assertTrue(policy.admitsClient(new FakeRequest().port(8081), NOW), "admin port");
        assertTrue(policy.admitsClient(new FakeRequest().user(SEAT, "admin"), NOW), "admin's session");
        assertTrue(policy.admitsClient(new FakeRequest().cookie(BypassLink.NAME, policy.bypass().issue("", NOW)), NOW),
                "bypass cookie");
        assertFalse(AccessPolicy.NOBODY.admitsClient(new FakeRequest().from("10.1.2.3").port(8081), NOW));
    }

    @Test
    void pathsAndPresetsPass() {
        AccessPolicy jira = policy(AccessConfig.NONE.withPreset("jira").withAllowPaths("/plugins/servlet/health"));
        for (String path : List.of("/status", "/login.jsp", "/rest/auth/1/session", "/rest/gadget/1.0/login",
                "/s/abc/_/download/resources/x.css", "/images/icon.png", "/static-assets/x.js",
                "/download/resources/x.css", "/download/batch/x.js", "/favicon.ico", "/plugins/servlet/health")) {
            assertEquals(AdmittedBy.PATH, jira.admit(new FakeRequest().path(path), NOW), path);
        }
        // Static entries admit static files only (issue 12): what used to pass as "/s/abc/_/download.css",
        // "/download/resources/x" and "/download/batch/x" (no static extension, or not a static folder
        // after "/_/") is refused now.
        for (String path : List.of("/status/", "/statusx", "/STATUS", "/login.jspx", "/s", "/sx/a", "/secure/Dashboard.jspa",
                "/rest/api/2/issue", "/rest/auth/1/session/x", "/plugins/servlet/healthy", "/s/abc/_/download.css",
                "/download/resources/x", "/download/batch/x")) {
            assertNull(jira.admit(new FakeRequest().path(path), NOW), path);
        }
        AccessPolicy none = policy(AccessConfig.NONE.withPreset("none"));
        assertNull(none.admit(new FakeRequest().path("/status"), NOW));
        AccessPolicy confluence = policy(AccessConfig.NONE.withPreset("Confluence"));
        assertEquals(AdmittedBy.PATH, confluence.admit(new FakeRequest().path("/dologin.action"), NOW));
    }

    @Test
    void theAdminsPathsPassWithoutAPresetAndThePresetsWithoutPaths() {
        AccessPolicy paths = policy(AccessConfig.NONE.withAllowPaths("/plugins/servlet/health-check, /open/"));
        assertEquals(AdmittedBy.PATH, paths.admit(new FakeRequest().path("/plugins/servlet/health-check"), NOW));
        assertEquals(AdmittedBy.PATH, paths.admit(new FakeRequest().method("POST").path("/open/a~b_c.d"), NOW));
        assertNull(paths.admit(new FakeRequest().path("/status"), NOW), "no preset");
        assertNull(paths.admit(new FakeRequest().path("/open"), NOW), "a prefix of whole segments");
        AccessPolicy preset = policy(AccessConfig.NONE.withPreset("jira"));
        assertEquals(AdmittedBy.PATH, preset.admit(new FakeRequest().path("/status"), NOW));
        assertNull(preset.admit(new FakeRequest().path("/plugins/servlet/health-check"), NOW));
        assertFalse(PathRule.of(List.of("/status")).matches(null));
        assertTrue(PathRule.of(List.of(" ", "")).isEmpty());
    }

    @Test
    void whatTheValveWouldIgnoreInAFlagFileIsToldToTheTools() {
        FlagSettings bad = FlagSettings.builder().allow(List.of("203.0.113.7", "everyone")).build();
        List<String> ignored = FlagAccess.ignored(bad);
        assertEquals(1, ignored.size(), ignored.toString());
        assertTrue(ignored.get(0).contains("everyone"), ignored.get(0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FlagAccess.requireAccepted(bad)).getMessage()
                .contains("everyone"));
        assertEquals(List.of(), FlagAccess.ignored(FlagSettings.builder().allow(List.of("203.0.113.7")).build()));
        FlagAccess.requireAccepted(FlagSettings.DEFAULTS);
    }

    @Test
    void aPathPassesOnlyWhenItsRawFormIsTheSame() {
        AccessPolicy jira = policy(AccessConfig.NONE.withPreset("jira").withAllowPaths("/plugins/servlet/health"));
        String[][] decodedAndRaw = {
            {"/status", "/status;jsessionid=x"}, {"/status", "/%73tatus"}, {"/status", "/x/../status"},
            {"/status", "/./status"}, {"/status", "//status"}, {"/status", "/STATUS"}, {"/status", null},
            {"/login.jsp", "/login.jsp;/../x"}, {"/images/a.png", "/images/%61.png"},
            {"/s/x/_/images/a.png", "/s/x/_/images/./a.png"}, {"/plugins/servlet/health", "/plugins/servlet/health;x"},
            {"/plugins/servlet/health", "/plugins/servlet/%68ealth"}
        };
        for (String[] pair : decodedAndRaw) {
            assertEquals(AdmittedBy.PATH, jira.admit(new FakeRequest().path(pair[0]), NOW), pair[0]);
            assertNull(jira.admit(new FakeRequest().path(pair[0]).raw(pair[1]), NOW), pair[0] + " sent as " + pair[1]);
        }
    }

    @Test
    void aNonCanonicalPathStillPassesByTheOtherWays() {
        AccessPolicy policy = policy(AccessConfig.NONE.withPreset("jira").withAdminPort("8081")
                .withAllow("10.1.2.3"));
        assertEquals(AdmittedBy.PORT, policy.admit(new FakeRequest().path("/status").raw("/%73tatus").port(8081), NOW));
        assertEquals(AdmittedBy.ADDRESS,
                policy.admit(new FakeRequest().path("/status").raw("/%73tatus").from("10.1.2.3"), NOW));
    }

    @Test
    void noPathLetsAnUpgradeThrough() {
        AccessPolicy jira = policy(AccessConfig.NONE.withPreset("jira").withAllowPaths("/plugins/servlet/health"));
        for (String path : List.of("/status", "/login.jsp", "/images/a.png", "/plugins/servlet/health")) {
            assertNull(jira.admit(new FakeRequest().path(path).header("Upgrade", "websocket")
                    .header("Connection", "Upgrade"), NOW), path);
            assertNull(jira.admit(new FakeRequest().path(path).header("HTTP2-Settings", "AAA"), NOW), path);
        }
    }

    @Test
    void theAdminsOwnPathsPassForEveryMethodAndThePresetsForTheirs() {
        AccessPolicy jira = policy(AccessConfig.NONE.withPreset("jira").withAllowPaths("/plugins/servlet/health, /ops/"));
        assertEquals(AdmittedBy.PATH, jira.admit(new FakeRequest().method("POST").path("/plugins/servlet/health"), NOW));
        assertEquals(AdmittedBy.PATH, jira.admit(new FakeRequest().method("PUT").path("/ops/x"), NOW));
        assertNull(jira.admit(new FakeRequest().method("POST").path("/status"), NOW), "/status: GET and HEAD only");
        assertNull(jira.admit(new FakeRequest().method("POST").path("/images/a.png"), NOW), "static: GET and HEAD only");
    }

    @Test
    void aValidBypassCookiePasses() {
        AccessPolicy policy = policy(AccessConfig.NONE.withBypassSecret(SECRET));
        String cookie = policy.bypass().issue("", NOW);
        assertEquals(AdmittedBy.BYPASS, policy.admit(new FakeRequest().cookie(BypassLink.NAME, cookie), NOW + 60));
        assertNull(policy.admit(new FakeRequest().cookie(BypassLink.NAME, cookie), NOW + BypassSecret.VALIDITY_SECONDS),
                "expired");
        assertNull(policy.admit(new FakeRequest().cookie(BypassLink.NAME, cookie + "x"), NOW), "tampered");
        assertNull(policy.admit(new FakeRequest().cookie("other", cookie), NOW), "other cookie name");
        assertNull(policy.admit(new FakeRequest().cookie(BypassLink.NAME, cookie).contextPath("/confluence"), NOW),
                "issued for another web application");
    }

    @Test
    void everyCookieOfThatNameIsTriedSoAPlantedOneLocksNobodyOut() {
        AccessPolicy policy = policy(AccessConfig.NONE.withBypassSecret(SECRET));
        String good = policy.bypass().issue("", NOW);
        String planted = "1." + (NOW + 60) + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertEquals(AdmittedBy.BYPASS, policy.admit(new FakeRequest()
                .cookie(BypassLink.NAME, planted).cookie(BypassLink.NAME, "garbage").cookie(BypassLink.NAME, good), NOW));
        assertEquals(AdmittedBy.BYPASS, policy.admit(new FakeRequest()
                .cookie(BypassLink.NAME, good).cookie(BypassLink.NAME, planted), NOW));
        assertNull(policy.admit(new FakeRequest().cookie(BypassLink.NAME, planted).cookie(BypassLink.NAME, ""), NOW));
    }

    @Test
    void aCookieFromAnEarlierWindowIsRefusedInThisOne() {
        AccessConfig config = AccessConfig.NONE.withBypassSecret(SECRET);
        Instant lastMonth = Instant.ofEpochSecond(NOW).minus(30, ChronoUnit.DAYS);
        Instant today = Instant.ofEpochSecond(NOW);
        // A flag file made by hand, twice: each window is known by its start.
        AccessPolicy earlier = config.policyFor(active(FlagSettings.DEFAULTS, lastMonth), problem -> fail(problem));
        AccessPolicy now = config.policyFor(active(FlagSettings.DEFAULTS, today), problem -> fail(problem));
        String oldCookie = earlier.bypass().issue("", NOW - 60);
        assertEquals(AdmittedBy.BYPASS, earlier.admit(new FakeRequest().cookie(BypassLink.NAME, oldCookie), NOW));
        assertNull(now.admit(new FakeRequest().cookie(BypassLink.NAME, oldCookie), NOW), "same secret, another window");

        // Windows the tools made carry an id: the same id is the same window, whenever it was read.
        FlagSettings window1 = FlagSettings.builder().window("w-1").build();
        FlagSettings window2 = FlagSettings.builder().window("w-2").build();
        String cookie = config.policyFor(active(window1, lastMonth), problem -> fail(problem)).bypass().issue("", NOW);
        assertEquals(AdmittedBy.BYPASS, config.policyFor(active(window1, today), problem -> fail(problem))
                .admit(new FakeRequest().cookie(BypassLink.NAME, cookie), NOW), "the window's id, not its start, decides");
        assertNull(config.policyFor(active(window2, today), problem -> fail(problem))
                .admit(new FakeRequest().cookie(BypassLink.NAME, cookie), NOW), "the next window");
    }

    private static MaintenanceState active(FlagSettings settings, Instant since) {
        return MaintenanceState.evaluate(settings, since, since.plusSeconds(1), MaintenanceState.OFF);
    }

    @Test
    void theFlagFilesSecretWinsAndOldCookiesStopWorking() {
        AccessConfig config = AccessConfig.NONE.withBypassSecret(SECRET);
        String oldCookie = policy(config).bypass().issue("", NOW);
        FlagSettings settings = FlagSettings.builder().bypassSecret("the-files-own-secret-5678").build();
        AccessPolicy policy = policy(config, settings);
        assertNull(policy.admit(new FakeRequest().cookie(BypassLink.NAME, oldCookie), NOW));
        assertTrue(policy.bypass().matches("the-files-own-secret-5678"));
    }

    @Test
    void aWeakSecretInTheFileTurnsBypassOffAndIsReported() {
        FlagSettings settings = FlagSettings.builder().bypassSecret("short").build();
        List<String> problems = new ArrayList<>();
        AccessPolicy policy = AccessConfig.NONE.withBypassSecret(SECRET).policyFor(settings, problems::add);
        assertNull(policy.bypass());
        assertEquals(1, problems.size());
    }

    @Test
    void aBrokenFlagFileIsFullModeEvenIfItSaidReadOnly() {
        FlagSettings broken = FlagFileParser.parse(
                "{\"mode\":\"read-only\",".getBytes(java.nio.charset.StandardCharsets.UTF_8), Clock.systemUTC());
        assertNull(policy(AccessConfig.NONE, broken).admit(new FakeRequest(), NOW));
    }

    @Test
    void aRefusedValueIsQuotedSoNoLineBreakReachesTheLog() {
        for (java.util.function.Supplier<AccessConfig> bad : List.<java.util.function.Supplier<AccessConfig>>of(
                () -> AccessConfig.NONE.withAllow("10.0.0.1\nSEVERE forged\u001b[2J"),
                () -> AccessConfig.NONE.withAdminPort("80\r\nSEVERE forged"),
                () -> AccessConfig.NONE.withAllowPaths("status\nSEVERE forged"))) {
            String message = assertThrows(IllegalArgumentException.class, bad::get).getMessage();
            assertTrue(message.contains("\\n") && !message.contains("\n") && !message.contains("\r")
                    && !message.contains("\u001b"), message);
        }
        List<String> problems = new ArrayList<>();
        AccessConfig.NONE.policyFor(FlagSettings.builder().allow(List.of("10.0.0.1\nSEVERE forged")).build(), problems::add);
        assertEquals(1, problems.size());
        assertFalse(problems.get(0).contains("\n"), problems.get(0));
    }

    @Test
    void theConfigurationReadsBackNormalisedAsTheAdminSetIt() {
        AccessConfig config = AccessConfig.NONE.withAllow(" 10.0.0.1,,127.0.0.0/8 ").withAdminPort("8081 ,8444")
                .withAdminUsers("admin,  jsmith,").withAllowPaths("/status, /s/").withPreset(" Jira ")
                .withSessionUserAttribute(" user ").withReadOnlyReads("POST /q");
        assertEquals("10.0.0.1, 127.0.0.0/8", config.allow());
        assertEquals("8081, 8444", config.adminPort());
        assertEquals("admin, jsmith", config.adminUsers());
        assertEquals("/status, /s/", config.allowPaths());
        assertEquals("jira", config.preset());
        assertEquals("user", config.sessionUserAttribute());
        assertEquals("POST /q", config.readOnlyReads());
        assertEquals("allow=[10.0.0.1, 127.0.0.0/8], adminPort=[8081, 8444], adminUsers=[admin, jsmith],"
                + " allowPaths=[/status, /s/], preset=jira, bypassSecret=none, sessionUserAttribute=user,"
                + " readOnlyReads=[POST /q]", config.toString());
        assertTrue(config.withBypassSecret(SECRET).toString().contains("bypassSecret=set"));
        assertFalse(config.withBypassSecret(SECRET).toString().contains(SECRET), "the secret is never shown");
    }

    @Test
    void itTellsWhetherALoopbackAddressAndABypassSecretAreConfigured() {
        assertTrue(AccessConfig.NONE.withAllow("10.0.0.1, 127.0.0.1").allowHoldsLoopback());
        assertFalse(AccessConfig.NONE.withAllow("10.0.0.1").allowHoldsLoopback());
        assertFalse(AccessConfig.NONE.allowHoldsLoopback());
        assertFalse(AccessConfig.NONE.hasBypassSecret());
        assertTrue(AccessConfig.NONE.withBypassSecret(SECRET).hasBypassSecret());
        assertFalse(AccessConfig.NONE.withBypassSecret(SECRET).withBypassSecret("").hasBypassSecret(), "emptied");
        assertFalse(AccessConfig.NONE.withBypassSecret(null).hasBypassSecret());
    }

    @Test
    void badAttributeValuesAreRefusedWithTheirValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AccessConfig.NONE.withAllow("10.0.0.0/33"))
                .getMessage().contains("10.0.0.0/33"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AccessConfig.NONE.withAdminPort("http"))
                .getMessage().contains("http"));
        assertThrows(IllegalArgumentException.class, () -> AccessConfig.NONE.withAdminPort("70000"));
        assertThrows(IllegalArgumentException.class, () -> AccessConfig.NONE.withPreset("bamboo"));
        assertThrows(IllegalArgumentException.class, () -> AccessConfig.NONE.withAllowPaths("status"));
        assertThrows(IllegalArgumentException.class, () -> AccessConfig.NONE.withAllowPaths("/a/../b"));
        assertThrows(IllegalArgumentException.class, () -> AccessConfig.NONE.withBypassSecret("too-short"));
        assertThrows(IllegalArgumentException.class, () -> AccessConfig.NONE.withSessionUserAttribute(" "));
    }
}
