package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XmlTextTest {

    @Test
    void findsElementsOutsideCommentsCdataPisAndTheDoctype() throws Exception {
        String text = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE Server [\n  <!ENTITY a \"<Host name='x'>\">\n  <!-- ] > <Host -->\n]>\n"
                + "<Server><!-- <Host name=\"c\"> --><?pi <Host ?>"
                + "<Engine a=\"1 > 0\" b='<Host'><![CDATA[<Host name=\"d\">]]>"
                + "<Host name=\"real\"\n  appBase=\"webapps\"><Valve className=\"v\"/></Host></Engine></Server>\n";
        XmlText xml = XmlText.scan(text);
        List<XmlText.Element> hosts = xml.elements("Host");
        assertEquals(1, hosts.size());
        XmlText.Element host = hosts.get(0);
        assertEquals("real", host.attribute("name"));
        assertEquals("Engine", host.parent.name);
        assertEquals(text.indexOf("<Valve"), host.tagEnd);
        assertEquals(text.indexOf("</Host>"), host.endTagStart);
        assertEquals("1 > 0", host.parent.attribute("a"));
        assertEquals("<Host", host.parent.attribute("b"));
        XmlText.Element valve = xml.elements("Valve").get(0);
        assertTrue(valve.selfClosing);
        assertEquals(host, valve.parent);
        assertEquals(7, xml.lineOf(host.tagEnd));
    }

    @Test
    void resolvesReferencesInAttributeValues() throws Exception {
        XmlText xml = XmlText.scan("<a v=\"&lt;&amp;&quot;&#65;&#x42;&apos;&unknown;\"/>");
        assertEquals("<&\"AB'&unknown;", xml.elements("a").get(0).attribute("v"));
    }

    @Test
    void markupItCannotFollowIsAnError() {
        assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan("<a><b></a>"));
        assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan("<a><!-- never closed"));
        assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan("<a b=c/>"));
        assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan("<a>"));
    }

    /** The pieces, as kind:text. */
    private static List<String> pieces(XmlText xml) {
        List<String> pieces = new ArrayList<>();
        for (XmlText.Node node : xml.nodes) {
            pieces.add(node.kind + ":" + xml.text.substring(node.start, node.end));
        }
        return pieces;
    }

    @Test
    void thePiecesAreTheWholeFileInOrderAndNoneIsEmpty() throws Exception {
        XmlText small = XmlText.scan("<a x='1'>t<!--c--><b/><?pi x?></a>\n");
        assertEquals(List.of("START_TAG:<a x='1'>", "TEXT:t", "COMMENT:<!--c-->", "START_TAG:<b/>", "OTHER:<?pi x?>", "END_TAG:</a>",
                "TEXT:\n"), pieces(small));

        String doctype = "<!DOCTYPE Server [\n  <!ENTITY a SYSTEM 'a.xml'>\n  <!-- ] > -->\n]>";
        XmlText withDoctype = XmlText.scan(doctype + "<Server><Host name=\"h\"></Host></Server>");
        assertEquals(List.of("OTHER:" + doctype, "START_TAG:<Server>", "START_TAG:<Host name=\"h\">", "END_TAG:</Host>",
                "END_TAG:</Server>"), pieces(withDoctype), "a '>' inside the internal subset does not end the DOCTYPE");

        String quoted = "<!DOCTYPE Server SYSTEM \"a>b.dtd\">";
        assertEquals(List.of("OTHER:" + quoted, "START_TAG:<Server/>"), pieces(XmlText.scan(quoted + "<Server/>")),
                "nor does one in a quoted system id");

        for (String fixture : Fixtures.SERVER_XMLS) {
            String text = new String(Fixtures.resource(fixture), StandardCharsets.ISO_8859_1);
            XmlText xml = XmlText.scan(text);
            StringBuilder joined = new StringBuilder();
            for (XmlText.Node node : xml.nodes) {
                assertTrue(node.end > node.start, fixture + ": an empty piece at " + node.start);
                assertEquals(joined.length(), node.start, fixture);
                joined.append(text, node.start, node.end);
            }
            assertEquals(text, joined.toString(), fixture);
            assertEquals(0, xml.indexAt(0), fixture);
            assertEquals(-1, xml.indexAt(1), fixture + ": no piece starts inside another");
        }
    }

    @Test
    void markupCutOffAnywhereIsAnErrorNotACrash() {
        String doctype = "<!DOCTYPE s [<!ENTITY e 'x'>]>";
        String whole = doctype + "<s a=\"1\" b='2'><t/></s>";
        for (int end = 1; end < whole.length(); end++) {
            if (end == doctype.length()) {
                continue; // a DOCTYPE alone is whole
            }
            String cut = whole.substring(0, end);
            assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan(cut), cut);
        }
        for (String cut : new String[] {"<", "<a", "<a ", "<a b", "<a b ", "<a b=", "<a b= ", "<a b=\"", "<a/", "<a></", "<a></a",
                "<a></a ", "<!DOCTYPE a", "<!DOCTYPE a \"x", "<!--", "<?pi", "<![CDATA[x"}) {
            assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan(cut), cut);
        }
    }

    @Test
    void theErrorSaysWhatItCannotFollow() {
        assertEquals("</a> does not close anything", assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan("</a>")).getMessage());
        assertEquals("</b> does not close <a>", assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan("<a></b>")).getMessage());
        assertEquals("'<' not followed by a name at offset 3",
                assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan("<a>< /></a>")).getMessage());
        assertEquals("<a> is never closed", assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan("<a>")).getMessage());
        assertEquals("unterminated DOCTYPE", assertThrows(XmlText.XmlTextException.class, () -> XmlText.scan("<!DOCTYPE a [<!-- -->")).getMessage());
    }

    @Test
    void lineNumbersCountTheLineBreaksBefore() throws Exception {
        XmlText xml = XmlText.scan("<a>\n<b/>\n</a>");
        assertEquals(1, xml.lineOf(0));
        assertEquals(1, xml.lineOf(3), "the line break ends line 1");
        assertEquals(2, xml.lineOf(4));
        assertEquals(2, xml.lineOf(8));
        assertEquals(3, xml.lineOf(9));
    }
}
