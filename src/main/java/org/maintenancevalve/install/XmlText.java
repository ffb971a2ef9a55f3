package org.maintenancevalve.install;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The markup of an XML file as positions in its raw text, so that an edit can change a few bytes
 * and leave every other byte as it was. The text is the file's bytes read as ISO-8859-1 (one
 * char per byte), which is exact for any ASCII-compatible encoding: markup is ASCII, and the
 * bytes of a UTF-8 character are never mistaken for it.
 * <p>
 * It finds start tags (with their attributes), end tags, comments, and skips CDATA sections,
 * processing instructions and the DOCTYPE, so a {@code <Host} inside a comment is not a Host.
 * It is not a validating parser: the JDK's parser checks the file first ({@link ServerXmlDom}).
 */
final class XmlText {

    enum Kind { START_TAG, END_TAG, COMMENT, TEXT, OTHER }

    /** A piece of the file: {@code text.substring(start, end)}. */
    static final class Node {
        final Kind kind;
        final int start;
        final int end;
        /** The element of a start or end tag, else null. */
        final Element element;

        Node(Kind kind, int start, int end, Element element) {
            this.kind = kind;
            this.start = start;
            this.end = end;
            this.element = element;
        }
    }

    /** An element, known by its start tag (and end tag, unless it is an empty-element tag). */
    static final class Element {
        final String name;
        final Element parent;
        /** Where {@code <name} begins and where the start tag's {@code >} ends. */
        final int start;
        int tagEnd;
        boolean selfClosing;
        final List<Attribute> attributes = new ArrayList<>();
        /** Where {@code </name>} begins; -1 for an empty-element tag. */
        int endTagStart = -1;

        Element(String name, Element parent, int start) {
            this.name = name;
            this.parent = parent;
            this.start = start;
        }

        /** The attribute's value with the predefined and numeric references resolved, or null. */
        String attribute(String attributeName) {
            for (Attribute a : attributes) {
                if (a.name.equals(attributeName)) {
                    return a.value();
                }
            }
            return null;
        }
    }

    /** An attribute as written: its value is {@code raw}, between {@code quote}s. */
    static final class Attribute {
        final String name;
        final String raw;
        final char quote;

        Attribute(String name, String raw, char quote) {
            this.name = name;
            this.raw = raw;
            this.quote = quote;
        }

        String value() {
            return XmlEscape.unescape(raw);
        }
    }

    final String text;
    final List<Node> nodes;

    private XmlText(String text, List<Node> nodes) {
        this.text = text;
        this.nodes = Collections.unmodifiableList(nodes);
    }

    /** Every element of that name, in document order. */
    List<Element> elements(String name) {
        List<Element> found = new ArrayList<>();
        for (Node node : nodes) {
            if (node.kind == Kind.START_TAG && node.element.name.equals(name)) {
                found.add(node.element);
            }
        }
        return found;
    }

    /** The document's root element: the first start tag outside every element; null for none. */
    Element root() {
        for (Node node : nodes) {
            if (node.kind == Kind.START_TAG && node.element.parent == null) {
                return node.element;
            }
        }
        return null;
    }

    /** The index in {@link #nodes} of the node that starts at {@code offset}, or -1. */
    int indexAt(int offset) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).start == offset) {
                return i;
            }
        }
        return -1;
    }

    /** 1-based line number of an offset, for messages. */
    int lineOf(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    static XmlText scan(String text) throws XmlTextException {
        return new Scanner(text).scan();
    }

    /** The text is not XML this scanner can follow. */
    static final class XmlTextException extends Exception {
        private static final long serialVersionUID = 1L;

        XmlTextException(String message) {
            super(message);
        }
    }

    private static final class Scanner {
        private final String s;
        private final List<Node> nodes = new ArrayList<>();
        private Element open;
        private int pos;

        Scanner(String s) {
            this.s = s;
        }

        XmlText scan() throws XmlTextException {
            while (pos < s.length()) {
                int lt = s.indexOf('<', pos);
                if (lt < 0) {
                    nodes.add(new Node(Kind.TEXT, pos, s.length(), null));
                    pos = s.length();
                    break;
                }
                if (lt > pos) {
                    nodes.add(new Node(Kind.TEXT, pos, lt, null));
                    pos = lt;
                }
                if (s.startsWith("<!--", pos)) {
                    nodes.add(new Node(Kind.COMMENT, pos, after("-->", pos + 4), null));
                } else if (s.startsWith("<![CDATA[", pos)) {
                    nodes.add(new Node(Kind.OTHER, pos, after("]]>", pos + 9), null));
                } else if (s.startsWith("<?", pos)) {
                    nodes.add(new Node(Kind.OTHER, pos, after("?>", pos + 2), null));
                } else if (s.startsWith("<!DOCTYPE", pos)) {
                    nodes.add(new Node(Kind.OTHER, pos, doctypeEnd(pos + 9), null));
                } else if (s.startsWith("</", pos)) {
                    endTag();
                } else {
                    startTag();
                }
                pos = nodes.get(nodes.size() - 1).end;
            }
            if (open != null) {
                throw new XmlTextException("<" + open.name + "> is never closed");
            }
            return new XmlText(s, nodes);
        }

        private int after(String terminator, int from) throws XmlTextException {
            int at = s.indexOf(terminator, from);
            if (at < 0) {
                throw new XmlTextException("'" + terminator + "' missing after offset " + from);
            }
            return at + terminator.length();
        }

        /** The DOCTYPE ends at the first {@code >} outside quotes and the internal subset. */
        private int doctypeEnd(int from) throws XmlTextException {
            int depth = 0;
            int i = from;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"' || c == '\'') {
                    i = after(String.valueOf(c), i + 1);
                    continue;
                }
                if (depth > 0 && s.startsWith("<!--", i)) {
                    i = after("-->", i + 4);
                    continue;
                }
                if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                } else if (c == '>' && depth == 0) {
                    return i + 1;
                }
                i++;
            }
            throw new XmlTextException("unterminated DOCTYPE");
        }

        private void endTag() throws XmlTextException {
            int start = pos;
            int i = pos + 2;
            int nameEnd = nameEnd(i);
            String name = s.substring(i, nameEnd);
            i = skipSpace(nameEnd);
            if (i >= s.length() || s.charAt(i) != '>') {
                throw new XmlTextException("bad end tag </" + name + " at offset " + start);
            }
            if (open == null || !open.name.equals(name)) {
                throw new XmlTextException("</" + name + "> does not close " + (open == null ? "anything" : "<" + open.name + ">"));
            }
            open.endTagStart = start;
            nodes.add(new Node(Kind.END_TAG, start, i + 1, open));
            open = open.parent;
        }

        private void startTag() throws XmlTextException {
            int start = pos;
            int nameEnd = nameEnd(pos + 1);
            if (nameEnd == pos + 1) {
                throw new XmlTextException("'<' not followed by a name at offset " + start);
            }
            Element element = new Element(s.substring(pos + 1, nameEnd), open, start);
            int i = nameEnd;
            while (true) {
                int afterSpace = skipSpace(i);
                if (afterSpace >= s.length()) {
                    throw new XmlTextException("unterminated start tag <" + element.name);
                }
                char c = s.charAt(afterSpace);
                if (c == '>') {
                    element.tagEnd = afterSpace + 1;
                    break;
                }
                if (c == '/' && s.startsWith("/>", afterSpace)) {
                    element.tagEnd = afterSpace + 2;
                    element.selfClosing = true;
                    break;
                }
                if (afterSpace == i) {
                    throw new XmlTextException("bad start tag <" + element.name + " at offset " + start);
                }
                int attrNameEnd = nameEnd(afterSpace);
                if (attrNameEnd == afterSpace) {
                    throw new XmlTextException("bad attribute in <" + element.name + " at offset " + afterSpace);
                }
                String attrName = s.substring(afterSpace, attrNameEnd);
                int eq = skipSpace(attrNameEnd);
                if (eq >= s.length() || s.charAt(eq) != '=') {
                    throw new XmlTextException("attribute " + attrName + " without a value in <" + element.name);
                }
                int quoteAt = skipSpace(eq + 1);
                char quote = quoteAt < s.length() ? s.charAt(quoteAt) : 0;
                if (quote != '"' && quote != '\'') {
                    throw new XmlTextException("attribute " + attrName + " value not quoted in <" + element.name);
                }
                int close = s.indexOf(quote, quoteAt + 1);
                if (close < 0) {
                    throw new XmlTextException("unterminated value of " + attrName + " in <" + element.name);
                }
                element.attributes.add(new Attribute(attrName, s.substring(quoteAt + 1, close), quote));
                i = close + 1;
            }
            nodes.add(new Node(Kind.START_TAG, start, element.tagEnd, element));
            if (!element.selfClosing) {
                open = element;
            }
        }

        private int nameEnd(int from) {
            int i = from;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (isSpace(c) || c == '>' || c == '/' || c == '=' || c == '<' || c == '"' || c == '\'') {
                    break;
                }
                i++;
            }
            return i;
        }

        private int skipSpace(int from) {
            int i = from;
            while (i < s.length() && isSpace(s.charAt(i))) {
                i++;
            }
            return i;
        }
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
