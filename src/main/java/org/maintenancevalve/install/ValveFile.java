package org.maintenancevalve.install;

import java.nio.file.Path;

/** The file install puts the Valve into, and the option that asks for it. */
enum ValveFile {
    /** The first child of the default {@code <Host>} in {@code conf/server.xml}: a VM install. */
    SERVER_XML("--server-xml"),
    /**
     * The first child of the root {@code <Context>} of {@code conf/context.xml}: every web
     * application's Context gets one; it survives an entrypoint that rewrites server.xml.
     */
    CONTEXT_XML("--context-xml");

    final String option;

    ValveFile(String option) {
        this.option = option;
    }

    Path in(TomcatLayout layout) {
        return this == SERVER_XML ? layout.serverXml : layout.contextXml;
    }

    /** {@code conf/server.xml} or {@code conf/context.xml}, for messages. */
    String shortName() {
        return this == SERVER_XML ? "conf/server.xml" : "conf/context.xml";
    }
}
