package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds install's Valve to server.xml, changes its options, or removes it, by editing the raw
 * text: the bytes outside the edit stay exactly as they were (comments, attribute order,
 * indentation, line endings, encoding declaration). The JDK's parser reads the file before the
 * edit (a file it cannot parse is refused) and after it (the result must be well-formed, with
 * exactly the expected MaintenanceValve in the default Host). A file with more than one Host is
 * refused: a Valve in one Host would leave the others open. The same edit puts the Valve into
 * {@code conf/context.xml} instead, as the first child of its root {@code <Context>}
 * ({@link #installInContextXml}).
 */
final class ServerXmlEdit {

    /** The outcome: the file's content before and after, and what changed, in words. */
    static final class Result {
        final byte[] before;
        final byte[] after;
        final String summary;
        /** The Valve's attributes after the edit (install) or before it (uninstall); empty if none. */
        final Map<String, String> valveAttributes;

        Result(byte[] before, byte[] after, String summary, Map<String, String> valveAttributes) {
            this.before = before;
            this.after = after;
            this.summary = summary;
            this.valveAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(valveAttributes));
        }

        boolean changed() {
            return !Arrays.equals(before, after);
        }

        /** For {@code --dry-run}: what would happen to the file, with the diff. */
        void printPlan(Path file, String verb, PrintStream out) {
            if (changed()) {
                out.println("- back up " + file + " to " + file.getFileName() + ".bak-<time>");
                out.println("- change " + file + " like this:");
                out.print(LineDiff.unified(before, after, file.toString(), file + " (after " + verb + ")"));
            } else {
                out.println("- leave " + file + " as it is: " + summary);
            }
        }
    }

    private ServerXmlEdit() {
    }

    /**
     * Adds the Valve as the first child of the default Host, or, when install added it before,
     * applies {@code changes} to it.
     *
     * @param changes attribute values the admin gave; an empty value removes the attribute
     * @param defaults attribute values for a new Valve only (the detected preset)
     */
    static Result install(byte[] content, String file, String systemId,
                          Map<String, String> changes, Map<String, String> defaults) throws Refused {
        Analysis a = Analysis.of(content, file, systemId);
        int hostIndex = a.dom.defaultHostIndex(file);
        if (a.dom.hostCount() > 1) {
            throw new Refused(file + " has " + a.dom.hostCount() + " <Host> elements (" + String.join(", ", a.dom.hostNames())
                    + "): install adds the Valve to the default Host only, and the others would stay open during "
                    + "maintenance. It was left untouched. Add the Valve by hand as the first child of the <Engine>, "
                    + "where it holds the users of every Host out (see README, \"By hand\")");
        }
        XmlText.Element host = a.hosts.get(hostIndex);
        int hosts = a.hosts.size();
        return addOrChange(a, host, "the default " + describe(host), changes, defaults,
                (after, expected, firstChild) -> verifyInstalled(after, file, systemId, hostIndex, hosts, expected, firstChild));
    }

    /**
     * As {@link #install}, in a {@code conf/context.xml}: the Valve as the first child of its root
     * {@code <Context>}, whose children every web application's Context gets. A file whose root is
     * not a Context is refused: a Valve there would not be loaded.
     */
    static Result installInContextXml(byte[] content, String file, String systemId,
                                      Map<String, String> changes, Map<String, String> defaults) throws Refused {
        Analysis a = Analysis.of(content, file, systemId);
        XmlText.Element root = a.xml.root();
        if (root == null || !a.dom.rootName().equals("Context") || !root.name.equals("Context")) {
            throw new Refused(file + ": its root element is <" + a.dom.rootName() + ">, not <Context>. Tomcat reads "
                    + "conf/context.xml as the defaults of every web application's <Context>, so the Valve must be a child "
                    + "of that root <Context>. It was left untouched; restore the file of your Tomcat (or image), or "
                    + "install into server.xml with --server-xml");
        }
        return addOrChange(a, root, "the root " + describe(root), changes, defaults,
                (after, expected, firstChild) -> verifyInstalledInContext(after, file, systemId, expected, firstChild));
    }

    /** Checks an edited file: the one MaintenanceValve where it belongs, with these attributes. */
    private interface Verification {
        void verify(byte[] after, Map<String, String> expected, boolean firstChild) throws Refused;
    }

    /**
     * Adds the Valve as the first child of {@code parent}, or changes the one install added there.
     *
     * @param where the parent for messages, e.g. {@code the default <Host name="localhost">}
     */
    private static Result addOrChange(Analysis a, XmlText.Element parent, String where, Map<String, String> changes,
                                      Map<String, String> defaults, Verification verification) throws Refused {
        String file = a.file;
        String parentName = describe(parent);
        a.refuseForeignValves("Leave it as it is, or remove it and run install again");
        if (a.blocks.size() > 1) {
            throw new Refused(file + " has " + a.blocks.size() + " MaintenanceValves added by install; run uninstall first");
        }
        if (a.blocks.size() == 1) {
            Block block = a.blocks.get(0);
            if (block.valve.parent != parent) {
                throw new Refused(file + ": the MaintenanceValve install added (line " + a.xml.lineOf(block.valve.start)
                        + ") is not in " + where + "; run uninstall first, then install");
            }
            Map<String, String> current = a.dom.valveAttributes(block.valveIndex);
            Map<String, String> expected = new LinkedHashMap<>(current);
            for (Map.Entry<String, String> e : changes.entrySet()) {
                if (e.getValue().isEmpty()) {
                    expected.remove(e.getKey());
                } else {
                    expected.put(e.getKey(), e.getValue());
                }
            }
            if (new HashMap<>(expected).equals(new HashMap<>(current))) {
                return new Result(a.content, a.content, "the Valve in " + parentName + " is already there, unchanged", current);
            }
            String tag = ValveLine.tag(ValveLine.changed(block.valve.attributes, changes));
            String after = a.xml.text.substring(0, block.valve.start) + tag + a.xml.text.substring(block.valve.tagEnd);
            byte[] bytes = after.getBytes(StandardCharsets.ISO_8859_1);
            verification.verify(bytes, expected, false);
            return new Result(a.content, bytes, "changed the options of the Valve in " + parentName, expected);
        }
        if (parent.selfClosing) {
            throw new Refused(file + ": " + where + " is an empty element (<" + parent.name + " .../>); "
                    + "write it as <" + parent.name + " ...></" + parent.name + "> and run install again");
        }
        Map<String, String> values = new LinkedHashMap<>(defaults);
        values.putAll(changes);
        List<ValveLine.Written> attributes = ValveLine.fresh(values);
        Map<String, String> expected = new LinkedHashMap<>();
        for (ValveLine.Written w : attributes) {
            expected.put(w.name, XmlEscape.unescape(w.raw));
        }
        String eol = lineEnding(a.xml.text, parent.tagEnd);
        String indent = childIndent(a.xml, parent);
        String insertion = eol + indent + ValveLine.COMMENT + eol + indent + ValveLine.tag(attributes);
        String after = a.xml.text.substring(0, parent.tagEnd) + insertion + a.xml.text.substring(parent.tagEnd);
        byte[] bytes = after.getBytes(StandardCharsets.ISO_8859_1);
        verification.verify(bytes, expected, true);
        return new Result(a.content, bytes, "added the Valve (with a comment) as the first child of " + parentName, expected);
    }

    /** Removes what install added: the comment, the Valve, and the line break and indentation before them. */
    static Result uninstall(byte[] content, String file, String systemId) throws Refused {
        Analysis a = Analysis.of(content, file, systemId);
        a.refuseForeignValves("Remove it by hand first (the jar must stay while server.xml names the valve), "
                + "then run uninstall again");
        if (a.blocks.isEmpty()) {
            return new Result(content, content, "no Valve added by install in it, nothing to remove",
                    Collections.<String, String>emptyMap());
        }
        String text = a.xml.text;
        StringBuilder after = new StringBuilder(text);
        for (int i = a.blocks.size() - 1; i >= 0; i--) {
            Block block = a.blocks.get(i);
            after.delete(block.removeStart, block.valve.tagEnd);
        }
        byte[] bytes = after.toString().getBytes(StandardCharsets.ISO_8859_1);
        ServerXmlDom check = parseOwnEdit(bytes, file, systemId);
        if (check.valveCount() != 0 || check.hostCount() != a.hosts.size()) {
            throw internalError(file, "a MaintenanceValve is left, or a Host went missing");
        }
        XmlText.Element parent = a.blocks.get(0).valve.parent;
        return new Result(content, bytes, "removed the Valve and its comment from " + (parent == null ? "the file" : describe(parent)),
                a.dom.valveAttributes(a.blocks.get(0).valveIndex));
    }

    /** {@code <Host name="localhost">}, for messages. */
    private static String describe(XmlText.Element element) {
        String name = element.attribute("name");
        return "<" + element.name + (name == null ? "" : " name=\"" + name + "\"") + ">";
    }

    private static void verifyInstalled(byte[] after, String file, String systemId, int hostIndex, int hosts,
                                        Map<String, String> expected, boolean firstChild) throws Refused {
        ServerXmlDom check = parseOwnEdit(after, file, systemId);
        if (check.valveCount() != 1) {
            throw internalError(file, check.valveCount() + " MaintenanceValves instead of 1");
        }
        if (check.hostCount() != hosts || check.hostOfValve(0) != hostIndex || check.defaultHostIndex(file) != hostIndex) {
            throw internalError(file, "the MaintenanceValve is not in the default Host");
        }
        if (firstChild && !check.isFirstChild(0)) {
            throw internalError(file, "the MaintenanceValve is not the Host's first child");
        }
        if (!new HashMap<>(check.valveAttributes(0)).equals(new HashMap<>(expected))) {
            throw internalError(file, "the Valve reads back as " + check.valveAttributes(0) + ", not " + expected);
        }
    }

    private static void verifyInstalledInContext(byte[] after, String file, String systemId,
                                                 Map<String, String> expected, boolean firstChild) throws Refused {
        ServerXmlDom check = parseOwnEdit(after, file, systemId);
        if (check.valveCount() != 1) {
            throw internalError(file, check.valveCount() + " MaintenanceValves instead of 1");
        }
        if (!check.rootName().equals("Context") || !check.isChildOfRoot(0)) {
            throw internalError(file, "the MaintenanceValve is not a child of the root <Context>");
        }
        if (firstChild && !check.isFirstChild(0)) {
            throw internalError(file, "the MaintenanceValve is not the Context's first child");
        }
        if (!new HashMap<>(check.valveAttributes(0)).equals(new HashMap<>(expected))) {
            throw internalError(file, "the Valve reads back as " + check.valveAttributes(0) + ", not " + expected);
        }
    }

    private static ServerXmlDom parseOwnEdit(byte[] after, String file, String systemId) throws Refused {
        try {
            return ServerXmlDom.parse(after, file, systemId);
        } catch (Refused e) {
            throw internalError(file, e.getMessage());
        }
    }

    private static Refused internalError(String file, String what) {
        return new Refused("the edited " + file + " failed its check (" + what + "); nothing was changed. "
                + "Please report this, with the file");
    }

    /** The line break the file uses where the edit goes: the one after the Host's start tag, else the first. */
    static String lineEnding(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (text.startsWith("\r\n", i)) {
            return "\r\n";
        }
        if (text.startsWith("\n", i)) {
            return "\n";
        }
        int lf = text.indexOf('\n');
        return lf > 0 && text.charAt(lf - 1) == '\r' ? "\r\n" : "\n";
    }

    /**
     * The indentation of the Host's first child when it starts a line; else the Host's own
     * indentation plus one level (the step from its parent's, or four spaces).
     */
    static String childIndent(XmlText xml, XmlText.Element host) {
        String text = xml.text;
        int hostIndent = lineIndent(text, host.start);
        String hostPrefix = hostIndent < 0 ? "" : text.substring(hostIndent, host.start);
        int end = host.endTagStart;
        int i = host.tagEnd;
        while (i < end && XmlText.isSpace(text.charAt(i))) {
            i++;
        }
        if (i < end) {
            int childIndent = lineIndent(text, i);
            if (childIndent >= 0 && i - childIndent > hostPrefix.length()) {
                return text.substring(childIndent, i);
            }
        }
        String step = "    ";
        if (host.parent != null) {
            int parentIndent = lineIndent(text, host.parent.start);
            if (parentIndent >= 0) {
                String parentPrefix = text.substring(parentIndent, host.parent.start);
                if (hostPrefix.length() > parentPrefix.length() && hostPrefix.startsWith(parentPrefix)) {
                    step = hostPrefix.substring(parentPrefix.length());
                } else if (hostPrefix.contains("\t")) {
                    step = "\t";
                }
            }
        }
        return hostPrefix + step;
    }

    /** Where the blanks before {@code offset} on its line begin, or -1 if something else precedes it. */
    private static int lineIndent(String text, int offset) {
        int i = offset;
        while (i > 0 && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
            i--;
        }
        return i == 0 || text.charAt(i - 1) == '\n' || text.charAt(i - 1) == '\r' ? i : -1;
    }

    /** install's comment and Valve, and where their removal starts. */
    private static final class Block {
        final XmlText.Element valve;
        /** The valve's index among the MaintenanceValves, in document order. */
        final int valveIndex;
        final int removeStart;

        Block(XmlText.Element valve, int valveIndex, int removeStart) {
            this.valve = valve;
            this.valveIndex = valveIndex;
            this.removeStart = removeStart;
        }
    }

    /** The file read both ways, and what install added to it before. */
    private static final class Analysis {
        final byte[] content;
        final String file;
        final ServerXmlDom dom;
        final XmlText xml;
        final List<XmlText.Element> hosts;
        final List<XmlText.Element> valves = new ArrayList<>();
        final List<Block> blocks = new ArrayList<>();

        private Analysis(byte[] content, String file, ServerXmlDom dom, XmlText xml) {
            this.content = content;
            this.file = file;
            this.dom = dom;
            this.xml = xml;
            this.hosts = xml.elements("Host");
        }

        static Analysis of(byte[] content, String file, String systemId) throws Refused {
            refuseUnsupportedEncoding(content, file);
            ServerXmlDom dom = ServerXmlDom.parse(content, file, systemId);
            XmlText xml;
            try {
                xml = XmlText.scan(new String(content, StandardCharsets.ISO_8859_1));
            } catch (XmlText.XmlTextException e) {
                throw new Refused("cannot follow the markup of " + file + " (" + e.getMessage()
                        + "); it was left untouched. Add the Valve by hand (see README)");
            }
            Analysis a = new Analysis(content, file, dom, xml);
            for (XmlText.Element valve : xml.elements("Valve")) {
                String className = valve.attribute("className");
                if (className != null && className.trim().equals(ServerXmlDom.VALVE_CLASS)) {
                    a.valves.add(valve);
                }
            }
            if (a.hosts.size() != dom.hostCount() || a.valves.size() != dom.valveCount()) {
                throw new Refused(file + " defines Hosts or Valves through entity references; it was left "
                        + "untouched. Add the Valve by hand (see README)");
            }
            for (int i = 0; i < a.valves.size(); i++) {
                Block block = a.blockOf(a.valves.get(i), i);
                if (block != null) {
                    a.blocks.add(block);
                }
            }
            return a;
        }

        /** The valve with install's comment just before it (only blanks between), or null. */
        private Block blockOf(XmlText.Element valve, int valveIndex) {
            int i = xml.indexAt(valve.start) - 1;
            if (!valve.selfClosing) {
                return null;
            }
            if (i >= 0 && isBlank(xml.nodes.get(i))) {
                i--;
            }
            if (i < 0) {
                return null;
            }
            XmlText.Node comment = xml.nodes.get(i);
            if (comment.kind != XmlText.Kind.COMMENT || !xml.text.substring(comment.start, comment.end).contains(ValveLine.MARKER)) {
                return null;
            }
            String text = xml.text;
            int start = comment.start;
            while (start > 0 && (text.charAt(start - 1) == ' ' || text.charAt(start - 1) == '\t')) {
                start--;
            }
            if (text.startsWith("\r\n", start - 2)) {
                start -= 2;
            } else if (start > 0 && (text.charAt(start - 1) == '\n' || text.charAt(start - 1) == '\r')) {
                start--;
            }
            return new Block(valve, valveIndex, start);
        }

        private boolean isBlank(XmlText.Node node) {
            return node.kind == XmlText.Kind.TEXT && xml.text.substring(node.start, node.end).trim().isEmpty();
        }

        void refuseForeignValves(String advice) throws Refused {
            for (XmlText.Element valve : valves) {
                boolean ours = false;
                for (Block block : blocks) {
                    ours |= block.valve == valve;
                }
                if (!ours) {
                    throw new Refused(file + " already has a MaintenanceValve that install did not add (line "
                            + xml.lineOf(valve.start) + "). " + advice);
                }
            }
        }
    }

    private static final Pattern ENCODING = Pattern.compile("^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([^\"']+)[\"']");

    /** The edit works on bytes as ASCII-compatible text; UTF-16 and the like are refused. */
    private static void refuseUnsupportedEncoding(byte[] content, String file) throws Refused {
        boolean utf16 = content.length >= 2 && ((content[0] == (byte) 0xFE && content[1] == (byte) 0xFF)
                || (content[0] == (byte) 0xFF && content[1] == (byte) 0xFE)
                || content[0] == 0 || content[1] == 0);
        String head = new String(content, 0, Math.min(content.length, 200), StandardCharsets.ISO_8859_1);
        if (head.startsWith("\u00EF\u00BB\u00BF")) {
            head = head.substring(3);
        }
        Matcher m = ENCODING.matcher(head);
        boolean compatible = !utf16;
        if (compatible && m.find()) {
            try {
                Charset charset = Charset.forName(m.group(1));
                String ascii = "\t\n\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                        + "abcdefghijklmnopqrstuvwxyz{|}~";
                compatible = Arrays.equals(ascii.getBytes(charset), ascii.getBytes(StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                compatible = false;
            }
        }
        if (!compatible) {
            throw new Refused(file + " is not in an ASCII-compatible encoding (such as UTF-8 or ISO-8859-1); "
                    + "it was left untouched. Add the Valve by hand (see README)");
        }
    }
}
