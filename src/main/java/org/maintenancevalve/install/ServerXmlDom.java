package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.config.ValveAttributes;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * server.xml as the JDK's XML parser reads it, the one reader of server.xml (and of
 * {@code conf/context.xml}, the same markup under a {@code <Context>} root) for the installer,
 * {@code check} and the command line's {@code --catalina-base}: the proof that a file is
 * well-formed, and the authority on which Host is the default one, where MaintenanceValves are
 * and which Connectors their Service has.
 * <p>
 * It reads what Tomcat reads: a DOCTYPE with internal entities is fine, the external DTD is not
 * loaded. An external entity (a reference to another file) is refused, as these tools may run as
 * root and must not pull a file into their messages that the file's writer could not read.
 */
public final class ServerXmlDom {

    /** The valve's class name, as server.xml names it. */
    static final String VALVE_CLASS = ValveAttributes.CLASS_NAME;

    private final String file;
    private final Element root;
    private final List<Element> hosts;
    private final List<Element> engines;
    private final List<Element> valves;

    private ServerXmlDom(Document document, String file) {
        this.file = file;
        this.root = document.getDocumentElement();
        this.hosts = elements(document, "Host");
        this.engines = elements(document, "Engine");
        List<Element> found = new ArrayList<>();
        for (Element valve : elements(document, "Valve")) {
            if (VALVE_CLASS.equals(valve.getAttribute("className").trim())) {
                found.add(valve);
            }
        }
        this.valves = found;
    }

    /** Reads {@code conf/server.xml} (or any file of that shape, such as {@code conf/context.xml}). */
    public static ServerXmlDom read(Path serverXml) throws Refused {
        return parse(ReadFile.orRefuse(serverXml), serverXml.toString(), serverXml.toUri().toString());
    }

    /**
     * @param file the file's name, for messages
     * @param systemId where the file is, so that a message can name it
     */
    static ServerXmlDom parse(byte[] content, String file, String systemId) throws Refused {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setValidating(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setEntityResolver((publicId, entity) -> {
                throw new SAXException(EXTERNAL_ENTITY + entity);
            });
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) {
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            InputSource source = new InputSource(new ByteArrayInputStream(content));
            source.setSystemId(systemId);
            return new ServerXmlDom(builder.parse(source), file);
        } catch (SAXException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(EXTERNAL_ENTITY)) {
                throw new Refused(file + " refers to an external entity (" + e.getMessage().substring(EXTERNAL_ENTITY.length())
                        + "); this tool does not read other files through server.xml, so it was left untouched. "
                        + "Write the value into server.xml itself, or add the Valve by hand (see README)");
            }
            if (!(e instanceof SAXParseException)) {
                throw new Refused("cannot parse " + file + " (" + e.getMessage() + "); it was left untouched", e);
            }
            SAXParseException p = (SAXParseException) e;
            throw new Refused(file + " is not well-formed XML (line " + p.getLineNumber() + ", column "
                    + p.getColumnNumber() + ": " + p.getMessage() + "); it was left untouched");
        } catch (IOException e) {
            throw new Refused("cannot parse " + file + " (" + e.getMessage() + "); it was left untouched", e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The root element's name: {@code Server} for a server.xml, {@code Context} for a context.xml. */
    String rootName() {
        return root.getTagName();
    }

    /** Whether a valve is a child of the root element (of a context.xml's {@code <Context>}). */
    boolean isChildOfRoot(int valve) {
        return valves.get(valve).getParentNode() == root;
    }

    /** Every Connector in the file, in document order (a context.xml's valves meet all of them). */
    List<FoundConnector> allConnectors() {
        List<FoundConnector> connectors = new ArrayList<>();
        for (Element connector : elements(root.getOwnerDocument(), "Connector")) {
            connectors.add(FoundConnector.of(connector));
        }
        return Collections.unmodifiableList(connectors);
    }

    /**
     * The {@code path} of every Context with {@code override="true"}: Tomcat does not give it the
     * defaults of conf/context.xml, so a Valve there does not reach it.
     */
    List<String> contextsIgnoringContextXml() {
        List<String> paths = new ArrayList<>();
        for (Element context : elements(root.getOwnerDocument(), "Context")) {
            if (context != root && Boolean.parseBoolean(context.getAttribute("override").trim())) {
                paths.add(context.getAttribute("path"));
            }
        }
        return paths;
    }

    int hostCount() {
        return hosts.size();
    }

    /** The {@code name} of every Host, in document order. */
    List<String> hostNames() {
        List<String> names = new ArrayList<>();
        for (Element host : hosts) {
            names.add(host.getAttribute("name").trim());
        }
        return names;
    }

    /**
     * The default Host: the Host of the (only) Engine whose name is the Engine's
     * {@code defaultHost}, compared as Tomcat does, without regard to case.
     *
     * @return its index among all Hosts in document order
     */
    int defaultHostIndex(String file) throws Refused {
        if (engines.size() != 1) {
            throw new Refused(file + " has " + engines.size() + " <Engine> elements; the installer handles "
                    + "exactly one. Add the Valve by hand (see README)");
        }
        Element engine = engines.get(0);
        String defaultHost = engine.getAttribute("defaultHost").trim();
        if (defaultHost.isEmpty()) {
            throw new Refused(file + ": the <Engine> has no defaultHost attribute");
        }
        int found = -1;
        for (int i = 0; i < hosts.size(); i++) {
            Element host = hosts.get(i);
            if (host.getParentNode() == engine
                    && host.getAttribute("name").trim().toLowerCase(Locale.ROOT)
                        .equals(defaultHost.toLowerCase(Locale.ROOT))) {
                if (found >= 0) {
                    throw new Refused(file + " has two <Host name=\"" + defaultHost + "\">");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new Refused(file + ": the <Engine> names defaultHost=\"" + defaultHost
                    + "\" but has no <Host> of that name");
        }
        return found;
    }

    /** The MaintenanceValves anywhere in the file, in document order. */
    int valveCount() {
        return valves.size();
    }

    /** The Host index (as in {@link #defaultHostIndex}) a valve is a child of; -1 for any other parent. */
    int hostOfValve(int valve) {
        return hosts.indexOf(valves.get(valve).getParentNode());
    }

    /** Whether a valve is the first element inside its parent. */
    boolean isFirstChild(int valve) {
        Node previous = valves.get(valve).getPreviousSibling();
        while (previous != null) {
            if (previous.getNodeType() == Node.ELEMENT_NODE) {
                return false;
            }
            previous = previous.getPreviousSibling();
        }
        return true;
    }

    /** A valve's attributes as the parser reads them (references resolved), in document order. */
    Map<String, String> valveAttributes(int valve) {
        Map<String, String> attributes = new LinkedHashMap<>();
        NamedNodeMap map = valves.get(valve).getAttributes();
        for (int i = 0; i < map.getLength(); i++) {
            attributes.put(map.item(i).getNodeName(), map.item(i).getNodeValue());
        }
        return Collections.unmodifiableMap(attributes);
    }

    /** The MaintenanceValves anywhere in the file, in document order, as the check sees them. */
    public List<FoundValve> maintenanceValves() {
        List<FoundValve> found = new ArrayList<>();
        for (int i = 0; i < valves.size(); i++) {
            found.add(new FoundValve(valves.get(i), valveAttributes(i), file));
        }
        return Collections.unmodifiableList(found);
    }

    /** One MaintenanceValve element and where it is. */
    public static final class FoundValve {
        /** Its attributes as written (entity references resolved, {@code ${...}} not). */
        public final Map<String, String> attributes;
        /** The file it is in, as named when it was read. */
        public final String file;
        /** Its element path from the root, e.g. {@code Server/Service/Engine/Host/Valve}. */
        public final String path;
        /** Its container for messages, e.g. {@code <Host name="localhost">}. */
        public final String container;
        /** The Connectors of the Service it is in, in document order. */
        public final List<FoundConnector> connectors;

        FoundValve(Element valve, Map<String, String> attributes, String file) {
            this.attributes = attributes;
            this.file = file;
            StringBuilder path = new StringBuilder(valve.getTagName());
            Element service = null;
            for (Node n = valve.getParentNode(); n instanceof Element; n = n.getParentNode()) {
                path.insert(0, ((Element) n).getTagName() + "/");
                if (service == null && ((Element) n).getTagName().equals("Service")) {
                    service = (Element) n;
                }
            }
            this.path = path.toString();
            Element parent = valve.getParentNode() instanceof Element ? (Element) valve.getParentNode() : null;
            this.container = parent == null ? "the document" : "<" + parent.getTagName()
                    + (parent.hasAttribute("name") ? " name=\"" + parent.getAttribute("name") + "\"" : "")
                    + (parent.getTagName().equals("Context") ? " path=\"" + parent.getAttribute("path") + "\"" : "") + ">";
            List<FoundConnector> connectors = new ArrayList<>();
            if (service != null) {
                for (Node n = service.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element && ((Element) n).getTagName().equals("Connector")) {
                        connectors.add(FoundConnector.of((Element) n));
                    }
                }
            }
            this.connectors = Collections.unmodifiableList(connectors);
        }

        /**
         * Whether Tomcat creates a valve at this place: directly inside an Engine, a Host or a
         * Context of server.xml, or directly inside the {@code <Context>} of a context.xml. Anywhere
         * else Tomcat has no rule for a Valve and skips it.
         */
        public boolean isWhereTomcatLoadsIt() {
            return path.equals("Server/Service/Engine/Valve") || path.equals("Server/Service/Engine/Host/Valve")
                    || path.equals("Server/Service/Engine/Host/Context/Valve") || isInContextXml();
        }

        /** Whether it is the child of a context.xml's root {@code <Context>}: every web application gets one. */
        public boolean isInContextXml() {
            return path.equals("Context/Valve");
        }
    }

    /** One Connector element: its {@code port} and {@code protocol} as written ({@code ${...}} not resolved). */
    public static final class FoundConnector {
        public final String port;
        /** Empty when not given (Tomcat's default, HTTP/1.1). */
        public final String protocol;

        FoundConnector(String port, String protocol) {
            this.port = port;
            this.protocol = protocol;
        }

        static FoundConnector of(Element connector) {
            return new FoundConnector(connector.getAttribute("port").trim(), connector.getAttribute("protocol").trim());
        }

        /**
         * Whether a {@code protocol} value (resolved) makes an AJP connector: {@code AJP/1.3}, or a
         * protocol handler class such as {@code org.apache.coyote.ajp.AjpNioProtocol}. Any value
         * naming AJP counts: a warning too many is better than one missed.
         */
        public static boolean isAjp(String protocol) {
            return protocol != null && protocol.toLowerCase(Locale.ROOT).contains("ajp");
        }
    }

    private static final String EXTERNAL_ENTITY = "external entity: ";

    private static List<Element> elements(Document document, String name) {
        NodeList list = document.getElementsByTagName(name);
        List<Element> elements = new ArrayList<>(list.getLength());
        for (int i = 0; i < list.getLength(); i++) {
            elements.add((Element) list.item(i));
        }
        return elements;
    }
}
