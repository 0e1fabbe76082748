package io.lb4j.spring;

import io.lb4j.config.Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Lb4jProperties.java, the shape of lb4j.* for the configuration processor, from lb-config's
 * Key.all(), so that the IDE metadata and the one parser cannot disagree. Run from the repository root
 * after adding a key: {@code mvn -B -o -q -pl lb4j-spring-boot-starter -am test-compile} then this main
 * on the test class path (docs/spring-boot.md has the command); Lb4jPropertiesTest fails until then.
 */
final class PropertiesSource {
    static final Path FILE = Path.of("src/main/java/io/lb4j/spring/Lb4jProperties.java");

    private PropertiesSource() {}

    private static final class Node {
        final String name; final Map<String, Node> children = new LinkedHashMap<>(); Key key;
        Node(String name) { this.name = name; }
    }
    private static String camel(String kebab) {
        StringBuilder sb = new StringBuilder(); boolean up = false;
        for (char c : kebab.toCharArray()) { if (c == '-') { up = true; continue; } sb.append(up ? Character.toUpperCase(c) : c); up = false; }
        return sb.toString();
    }
    private static String cap(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }
    private static String type(Key k) {
        switch (k.type()) {
            case STRING: return "String";
            case INTEGER: return "Integer";
            case DECIMAL: return "Double";
            case BOOLEAN: return "Boolean";
            case DURATION: return "Duration";
            case LIST: return "List<String>";
            default: return "Map<String, String>";
        }
    }
    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "{@literal @}").replace("*/", "*&#47;"); }
    private static Node tree(Key.Scope scope) {
        Node root = new Node("");
        for (Key k : Key.all()) {
            if (k.scope() != scope) continue;
            Node n = root;
            for (String part : k.name().split("\\.")) n = n.children.computeIfAbsent(part, Node::new);
            n.key = k;
        }
        return root;
    }
    private static void emit(StringBuilder out, String indent, String className, String doc, Node node, List<String> extraFields) {
        out.append(indent).append("/** ").append(doc).append(" */\n");
        out.append(indent).append("public static final class ").append(className).append(" {\n");
        String in = indent + "    ";
        List<String[]> props = new ArrayList<>(); // name, type, javadoc, init
        for (String[] f : extraFieldsParsed(extraFields)) props.add(f);
        List<Node> nested = new ArrayList<>();
        for (Node c : node.children.values()) {
            if (c.key != null && c.children.isEmpty()) {
                String d = esc(c.key.description()) + (c.key.defaultValue().isEmpty() ? "" : " Default: " + esc(c.key.defaultValue()) + ".");
                props.add(new String[] {camel(c.name), type(c.key), d, null});
            } else {
                props.add(new String[] {camel(c.name), cap(camel(c.name)), "The {@code " + c.name + ".*} settings.", "new " + cap(camel(c.name)) + "()"});
                nested.add(c);
            }
        }
        out.append("\n").append(in).append("/** Creates the settings with nothing set. */\n").append(in).append("public ").append(className).append("() {\n").append(in).append("}\n");
        for (String[] p : props) {
            out.append("\n").append(in).append("/** ").append(p[2]).append(" */\n");
            out.append(in).append("private ").append(p[3] != null ? "final " : "").append(p[1]).append(" ").append(p[0]).append(p[3] != null ? " = " + p[3] : "").append(";\n");
        }
        for (String[] p : props) {
            out.append("\n").append(in).append("/**\n").append(in).append(" * Gets ").append(p[0]).append(".\n").append(in).append(" *\n")
               .append(in).append(p[3] != null ? " * @return the settings, never null\n" : " * @return the value, null when not set\n").append(in).append(" */\n");
            out.append(in).append("public ").append(p[1]).append(" get").append(cap(p[0])).append("() {\n").append(in).append("    return ").append(p[0]).append(";\n").append(in).append("}\n");
            if (p[3] == null) {
                out.append("\n").append(in).append("/**\n").append(in).append(" * Sets ").append(p[0]).append(".\n").append(in).append(" *\n")
                   .append(in).append(" * @param ").append(p[0]).append(" the value\n").append(in).append(" */\n");
                out.append(in).append("public void set").append(cap(p[0])).append("(").append(p[1]).append(" ").append(p[0]).append(") {\n")
                   .append(in).append("    this.").append(p[0]).append(" = ").append(p[0]).append(";\n").append(in).append("}\n");
            }
        }
        for (Node c : nested) {
            out.append("\n");
            emit(out, in, cap(camel(c.name)), "The {@code " + c.name + ".*} settings.", c, List.of());
        }
        out.append(indent).append("}\n");
    }
    private static List<String[]> extraFieldsParsed(List<String> extra) {
        List<String[]> l = new ArrayList<>();
        for (String e : extra) l.add(e.split("\\|", -1));
        for (String[] a : l) if (a[3].isEmpty()) a[3] = null;
        return l;
    }
    static String generate() {
        StringBuilder out = new StringBuilder();
        out.append("package io.lb4j.spring;\n\n");
        out.append("import java.time.Duration;\nimport java.util.LinkedHashMap;\nimport java.util.List;\nimport java.util.Map;\nimport org.springframework.boot.context.properties.ConfigurationProperties;\n\n");
        out.append("/**\n * The shape of the {@code lb4j.*} properties, for IDE completion only: the configuration processor\n"
                + " * turns it into {@code META-INF/spring-configuration-metadata.json}. It is never bound; the starter\n"
                + " * reads {@code lb4j.*} through lb-config's {@link io.lb4j.config.Lb4jConfig}, the one parser, and a test\n"
                + " * checks that this class and {@link io.lb4j.config.Key#all()} name the same keys. Generated from\n"
                + " * {@code Key.all()}: do not edit by hand (see docs/spring-boot.md).\n *\n * <p>Not thread-safe (a plain bean).\n */\n");
        out.append("@ConfigurationProperties(\"lb4j\")\n");
        Node g = tree(Key.Scope.GLOBAL);
        // the root class: global keys, then registration and services
        String body;
        StringBuilder root = new StringBuilder();
        emit(root, "", "Lb4jProperties", "", g, List.of(
                "registration|Registration|The application's own registration in etcd ({@code lb4j.registration.*}).|new Registration()",
                "services|Map<String, Service>|The downstream services by name ({@code lb4j.services.<name>.*}); a name with dots goes in brackets.|new LinkedHashMap<>()"));
        body = root.toString();
        // splice nested Registration and Service classes before the final closing brace
        StringBuilder nested = new StringBuilder();
        nested.append("\n");
        emit(nested, "    ", "Registration", "The {@code lb4j.registration.*} settings.", tree(Key.Scope.REGISTRATION), List.of());
        nested.append("\n");
        emit(nested, "    ", "Service", "The {@code lb4j.services.<name>.*} settings of one service.", tree(Key.Scope.SERVICE), List.of());
        body = body.substring(body.indexOf("public static final class Lb4jProperties"));
        body = body.replaceFirst("public static final class Lb4jProperties", "public final class Lb4jProperties");
        int end = body.lastIndexOf("}");
        body = body.substring(0, end) + nested + "}\n";
        out.append(body);
        return out.toString();
    }

    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0]) : FILE;
        Files.writeString(file, generate());
        System.out.println("wrote " + file.toAbsolutePath());
    }
}
