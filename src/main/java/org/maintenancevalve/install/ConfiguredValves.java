package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The MaintenanceValves a Tomcat base configures: in {@code conf/server.xml}, and in
 * {@code conf/context.xml}, whose Valves every web application's Context gets (the form install
 * uses in Atlassian's official images). The one place that knows both files, for {@code check}
 * and for the command line's {@code --catalina-base}.
 */
public final class ConfiguredValves {

    private ConfiguredValves() {
    }

    /**
     * Every MaintenanceValve of the base, server.xml's first, then context.xml's (when the file
     * exists); each names its file in {@link ServerXmlDom.FoundValve#file}.
     *
     * @throws Refused when either file cannot be read or is not well-formed
     */
    public static List<ServerXmlDom.FoundValve> of(Path base) throws Refused {
        Path conf = base.resolve("conf");
        List<ServerXmlDom.FoundValve> valves = new ArrayList<>(ServerXmlDom.read(conf.resolve("server.xml")).maintenanceValves());
        Path contextXml = conf.resolve("context.xml");
        if (Files.isRegularFile(contextXml)) {
            valves.addAll(ServerXmlDom.read(contextXml).maintenanceValves());
        }
        return Collections.unmodifiableList(valves);
    }

    /**
     * As {@link #of(Path)}, from the files given: for a caller that has checked them first (root
     * reads only what no other user can change, through the real path it checked).
     *
     * @param contextXml context.xml, or {@code null} when there is none
     */
    public static List<ServerXmlDom.FoundValve> of(Path serverXml, Path contextXml) throws Refused {
        List<ServerXmlDom.FoundValve> valves = new ArrayList<>(ServerXmlDom.read(serverXml).maintenanceValves());
        if (contextXml != null) {
            valves.addAll(ServerXmlDom.read(contextXml).maintenanceValves());
        }
        return Collections.unmodifiableList(valves);
    }
}
