package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/**
 * Which file install puts the Valve into, decided before anything is changed: the one asked for;
 * else the one install's Valve is in already (a second run changes options where they are); else
 * conf/context.xml in an official image, conf/server.xml anywhere else. A MaintenanceValve in the
 * other file is refused: every request would pass two gates, each watching its own flag file.
 */
final class ValvePlacement {

    final ValveFile file;
    /** Why install chose the file by the layout (an official image), in words; null otherwise. */
    final String why;

    private ValvePlacement(ValveFile file, String why) {
        this.file = file;
        this.why = why;
    }

    /** @param asked {@code --server-xml} or {@code --context-xml}, or null */
    static ValvePlacement choose(TomcatLayout layout, ValveFile asked, Map<String, String> env) throws Refused {
        int inServerXml = ServerXmlDom.read(layout.serverXml).valveCount();
        int inContextXml = valvesInContextXml(layout, asked == ValveFile.CONTEXT_XML);
        ValveFile file;
        String why = null;
        if (asked != null) {
            file = asked;
        } else if (inContextXml > 0) {
            file = ValveFile.CONTEXT_XML;
        } else if (inServerXml > 0) {
            file = ValveFile.SERVER_XML;
        } else if (OfficialImage.isHere(env)) {
            file = ValveFile.CONTEXT_XML;
            why = OfficialImage.why(env);
        } else {
            file = ValveFile.SERVER_XML;
        }
        int inOther = file == ValveFile.CONTEXT_XML ? inServerXml : inContextXml;
        if (inOther > 0) {
            ValveFile other = file == ValveFile.CONTEXT_XML ? ValveFile.SERVER_XML : ValveFile.CONTEXT_XML;
            throw new Refused(other.in(layout) + " already has a MaintenanceValve: with another in " + file.shortName()
                    + " every request would pass two gates, each watching its own flag file. Nothing was changed. "
                    + "To move it, run uninstall first (it takes out what install added to either file), then install "
                    + file.option + "; a Valve added by hand, remove by hand");
        }
        if (file == ValveFile.CONTEXT_XML && !Files.isRegularFile(layout.contextXml)) {
            throw new Refused("no " + layout.contextXml + ": the Valve goes into that file's root <Context>, and "
                    + "install does not write a new one. Tomcat's distributions and Atlassian's images ship it; "
                    + "restore it (or install into server.xml with --server-xml). Nothing was changed");
        }
        return new ValvePlacement(file, why);
    }

    /**
     * How many MaintenanceValves conf/context.xml has (0 when there is no such file). A file that
     * cannot be parsed counts as none unless it names the valve or is the one to edit: then the
     * refusal says why.
     */
    private static int valvesInContextXml(TomcatLayout layout, boolean editing) throws Refused {
        if (!Files.isRegularFile(layout.contextXml)) {
            return 0;
        }
        try {
            return ServerXmlDom.read(layout.contextXml).valveCount();
        } catch (Refused e) {
            byte[] raw = ReadFile.orRefuse(layout.contextXml);
            if (editing || new String(raw, StandardCharsets.ISO_8859_1).contains("MaintenanceValve")) {
                throw e;
            }
            return 0;
        }
    }
}
