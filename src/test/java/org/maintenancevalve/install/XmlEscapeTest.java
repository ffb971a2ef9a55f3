package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Values install writes into server.xml are ASCII, and read back as they were given. */
class XmlEscapeTest {

    @Test
    void controlCharactersAndNonAsciiAreCharacterReferencesAndPrintableAsciiIsNot() {
        assertEquals("a b~&#x7F;&#x1F;&#x9;&#xE9;&#x1F600;&amp;&lt;&gt;&quot;'",
                XmlEscape.attribute("a b~\u007f\u001f\té\uD83D\uDE00&<>\"'"));
        String all = " !#$%()*+,-./0123456789:;=?@AZ[\\]^_`az{|}~";
        assertEquals(all, XmlEscape.attribute(all));
    }

    @Test
    void unescapeResolvesWhatXmlDefinesAndKeepsTheRestAsWritten() {
        assertEquals("<&>\"'Aé\uD83D\uDE00", XmlEscape.unescape("&lt;&amp;&gt;&quot;&apos;&#65;&#xE9;&#x1F600;"));
        assertEquals("&#xZZ; &#99999999; &#; &nbsp; & ;", XmlEscape.unescape("&#xZZ; &#99999999; &#; &nbsp; & ;"));
        assertEquals("a&b", XmlEscape.unescape("a&b"));
        for (String value : new String[] {"plain", "a b~\u007f\té&<>\"'", "\uD83D\uDE00 and &amp;"}) {
            assertEquals(value, XmlEscape.unescape(XmlEscape.attribute(value)), value);
        }
    }
}
