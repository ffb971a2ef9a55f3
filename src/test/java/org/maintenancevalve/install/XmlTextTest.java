package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;

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
}
