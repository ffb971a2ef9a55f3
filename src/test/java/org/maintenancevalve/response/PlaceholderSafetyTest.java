package org.maintenancevalve.response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlaceholderSafetyTest {

    @Test
    void theShippedExampleIsSafe() throws IOException {
        String example = new String(Files.readAllBytes(Path.of("install", "maintenance.html.example")), StandardCharsets.UTF_8);
        assertTrue(example.contains("{{message}}"), "the example uses placeholders");
        assertNull(PlaceholderSafety.unsafePlaceholder(example));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<p>{{message}}</p>",
        "<p title=\"{{message}}\" class='{{mode}}' data-until=\"{{untilIso}}\" alt=\"{{ message }}\">x</p>",
        "<time datetime=\"{{untilIso}}\">{{until}}</time>",
        "<html lang=\"{{lang}}\"><title>{{message}}</title><textarea>{{message}}</textarea>",
        "<!-- {{message}} in a comment --><p>{{since}}</p>",
        "<meta name=\"description\" content=\"{{message}}\">",
        "<a href=\"/help\">Help</a> {{message}} <img src=\"data:image/png;base64,AAAA\" alt=\"{{message}}\">",
        "<a href=\"{{unknown}}\">an unknown placeholder is left as written</a>",
        "<script>var x = 1;</script><p>{{message}}</p><style>p { color: red }</style>",
        "a < b and {{message}} > c",
        "<p data=\"x\" title=\"{{message}}\">the data attribute of p is not object's</p>",
        "<!-- a -- b <a href=\"{{message}}\"> - -> --><p>{{message}}</p>",
        "<!-- <a href=\"{{message}}\"> ---><p>{{message}}</p>",
        "<p>{{message}}</p></ 3>",
        "<p>{{x}}{{message}}</p>",
        "<title>Closed</title><p>{{message}}</p><noscript><p>{{message}}</p></noscript>",
        "<svg><![CDATA[ x ]]></svg><p>{{message}}</p>",
        "<script>if (a < b) go();</script><p>{{message}}</p>",
        "<script><!-- hidden from old browsers --></script><p>{{message}}</p>",
        "<script>x()</script ><style>p{}</style/><p>{{message}}</p>",
    })
    void placeholdersInTextAndQuotedHarmlessValuesAreFine(String template) {
        assertNull(PlaceholderSafety.unsafePlaceholder(template), template);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<a href=\"{{message}}\">x</a>|in the href attribute of <a>",
        "<a HREF='{{ message }}'>x</a>|in the href attribute of <a>",
        "<A HREF=\"{{message}}\">x</A>|in the href attribute of <a>",
        "<Z onclick=\"{{message}}\">|in the onclick attribute of <z>",
        "<z-frame src=\"{{message}}\"></z-frame>|in the src attribute of <z-frame>",
        "<img src=\"x\" onerror=\"{{message}}\">|in the onerror attribute of <img>",
        "<p onclick='go(\"{{lang}}\")'>|in the onclick attribute of <p>",
        "<div style=\"color: {{mode}}\">|in the style attribute of <div>",
        "<form action=\"{{message}}\">|in the action attribute of <form>",
        "<button formaction=\"{{message}}\">|in the formaction attribute of <button>",
        "<img srcset=\"{{message}} 2x\">|in the srcset attribute of <img>",
        "<iframe srcdoc=\"{{message}}\"></iframe>|in the srcdoc attribute of <iframe>",
        "<object data=\"{{message}}\"></object>|in the data attribute of <object>",
        "<svg><a xlink:href=\"{{message}}\">x</a></svg>|in the xlink:href attribute of <a>",
        "<svg><set attributeName=\"href\" to=\"{{message}}\"/></svg>|in the to attribute of <set>",
        "<meta http-equiv=\"refresh\" content=\"0;url={{message}}\">|in the content attribute of <meta http-equiv>",
        "<meta content=\"0;url={{message}}\" http-equiv=\"refresh\">|in the content attribute of <meta http-equiv>",
        "<p title={{message}}>|inside the tag <p>, not in a quoted attribute value",
        "<p {{message}}>|inside the tag <p>, not in a quoted attribute value",
        "<p {{ message }}>|inside the tag <p>, not in a quoted attribute value",
        "<p title=\"x\"{{message}}>|inside the tag <p>, not in a quoted attribute value",
        "<p{{message}}>|inside the tag <p{{message}}>, not in a quoted attribute value",
        "<script>var m = \"{{message}}\";</script>|inside <script>",
        "<SCRIPT type=\"module\">let m = {{message}};</Script>|inside <script>",
        "<style>p { color: {{mode}} }</style>|inside <style>",
        "<script>never closed {{message}}|inside <script>",
        "<!DOCTYPE {{message}}>|inside <!...>",
        "<?xml {{message}}?>|inside <?...>",
        "<!-- a note --><a href=\"{{message}}\">x</a>|in the href attribute of <a>",
        // A browser ends a comment at "<!-->", "<!--->" and "--!>" too: what follows is markup.
        "<!--><a href=\"{{message}}\">x</a>-->|in the href attribute of <a>",
        "<!---><a href=\"{{message}}\">x</a>-->|in the href attribute of <a>",
        "<!-- a note --!><a href=\"{{message}}\">x</a>-->|in the href attribute of <a>",
        "<a href = \"{{message}}\">x</a>|in the href attribute of <a>",
        "<a href=\n  '{{message}}'>x</a>|in the href attribute of <a>",
        // An unquoted value may hold quotes: they start no quoted value.
        "<p title=a=' {{message}} '>|inside the tag <p>, not in a quoted attribute value",
        "<p title=x {{message}}>|inside the tag <p>, not in a quoted attribute value",
        "<a href=\"{{x}}{{message}}\">x</a>|in the href attribute of <a>",
        // Text to a browser in HTML, markup in SVG (or with scripting off): unsafe in either reading is unsafe.
        "<title><!--</title><a href=\"{{message}}\">x</a>-->|in the href attribute of <a>",
        "<title><p title=\"</title><a href={{message}}>\"></title>|inside the tag <a>, not in a quoted attribute value",
        "<textarea><p title=\"</TEXTAREA ><img src=x onerror={{message}}>\"></textarea>|inside the tag <img>, not in a quoted attribute value",
        "<noscript><p title=\"</noscript><a href={{message}}>\"></noscript>|inside the tag <a>, not in a quoted attribute value",
        "<xmp><p title=\"</xmp/><a href={{message}}>\"></xmp>|inside the tag <a>, not in a quoted attribute value",
        "<iframe><p title=\"</iframe><a href={{message}}>\"></iframe>|inside the tag <a>, not in a quoted attribute value",
        "<svg><script><a href=\"</script><p title=\"{{message}}\">x\"></svg>|inside the tag <a>, not in a quoted attribute value",
        "<svg><![CDATA[ > <p title=\"]]><a href={{message}}>\"> ]]></svg>|inside the tag <a>, not in a quoted attribute value",
        // A script ends only at "</script" followed by a space, '/' or '>'; "<!--<script" moves its end.
        "<script>a</scripty>{{message}}</script>|inside <script>",
        "<script><!--<script></script>{{message}}</script>-->|inside <script>",
        "<script>a</\u017Fcript>{{message}}</script>|inside <script>",
    })
    void placeholdersWhereEscapingIsNotEnoughAreFound(String caseText) {
        String[] parts = caseText.split("\\|");
        String problem = PlaceholderSafety.unsafePlaceholder(parts[0]);
        assertNotNull(problem, parts[0]);
        assertTrue(problem.endsWith(parts[1]), parts[0] + " -> " + problem);
    }

    @Test
    void theProblemNamesTheLine() {
        String template = "<!doctype html>\n<html>\n<body>\n  <p>{{message}}</p>\n  <a\n    href=\"/x?m={{message}}\">x</a>\n";
        assertEquals("line 6: {{message}} in the href attribute of <a>", PlaceholderSafety.unsafePlaceholder(template));
    }

    /** An admin's template cut off anywhere still loads (or is refused) with a message, never an exception. */
    @ParameterizedTest
    @ValueSource(strings = {"<", "</", "<p", "<p ", "<p title", "<p title ", "<p title=", "<p title= ", "<p title=x",
        "<p title=\"x", "<!", "<!--", "<!--x-", "<script>", "<a href='x'/"})
    void aTemplateCutOffAfterItsPlaceholdersIsFine(String tail) {
        String template = "<p>{{message}}</p>" + tail;
        assertNull(PlaceholderSafety.unsafePlaceholder(template), template);
    }

    @Test
    void aTemplateWithMoreElementsReadInTwoWaysThanAnyPageNeedsIsRefused() {
        String many = "<p>{{message}}</p>" + "<title>x</title>".repeat(PlaceholderSafety.MAX_TWO_WAYS);
        assertNull(PlaceholderSafety.unsafePlaceholder(many));
        String tooMany = many + "<style></style>";
        assertEquals("line 1: {{message}} in a template with more than " + PlaceholderSafety.MAX_TWO_WAYS
                + " script, style, title, textarea, xmp, iframe, noembed, noframes, noscript elements and CDATA sections,"
                + " too many to check", PlaceholderSafety.unsafePlaceholder(tooMany));
        assertNotNull(PlaceholderSafety.unsafePlaceholder(many + "<svg><![CDATA[x]]></svg>"));
    }
}
