package io.lb4j.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the three key tables of docs/configuration.md from {@link Key#all()}, so that the page and
 * the one parser cannot disagree; {@code KeyTablesTest} fails until the page is regenerated after a
 * key changes. Run from the repository root (docs/spring-boot.md has the command, next to the one
 * for the starter's metadata):
 * {@code java -cp lb-config/target/classes:<lb4j and slf4j classes> lb-config/src/test/java/io/lb4j/config/KeyTables.java}
 */
final class KeyTables {
    static final String HEADER = "| key | value | default | what it does |\n|---|---|---|---|\n";
    /** The heading above each scope's table. */
    static final Map<Key.Scope, String> HEADINGS = Map.of(
            Key.Scope.GLOBAL, "## Global keys\n",
            Key.Scope.REGISTRATION, "## The application's registration\n",
            Key.Scope.SERVICE, "## Per service\n");

    private KeyTables() {}

    /** The rows of one scope's table, each ending in a newline. */
    static String rows(Key.Scope scope) {
        StringBuilder sb = new StringBuilder();
        for (Key k : Key.all()) {
            if (k.scope() == scope) {
                sb.append("| `").append(k.fullName()).append("` | ").append(k.type().name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(k.defaultValue()).append(" | ").append(k.description().replace("|", "\\|")).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** {@code page} with each table's rows (from its header to the first line that is not a row) written anew. */
    static String rewrite(String page) {
        String out = page;
        for (Key.Scope scope : Key.Scope.values()) {
            int heading = out.indexOf(HEADINGS.get(scope));
            int header = heading < 0 ? -1 : out.indexOf(HEADER, heading);
            if (header < 0) {
                throw new IllegalStateException("docs/configuration.md: no table under " + HEADINGS.get(scope).trim());
            }
            int start = header + HEADER.length();
            int end = start;
            while (end < out.length() && out.startsWith("| `", end)) {
                int eol = out.indexOf('\n', end);
                end = eol < 0 ? out.length() : eol + 1;
            }
            out = out.substring(0, start) + rows(scope) + out.substring(end);
        }
        return out;
    }

    static Path page() {
        Path here = Path.of(System.getProperty("user.dir"));
        return Files.exists(here.resolve("docs/configuration.md")) ? here.resolve("docs/configuration.md")
                : here.getParent().resolve("docs/configuration.md");
    }

    public static void main(String[] args) throws Exception {
        Path page = page();
        Files.writeString(page, rewrite(Files.readString(page)));
        System.out.println("wrote " + page.toAbsolutePath());
    }
}
