package io.lb4j.core;

import static io.lb4j.core.internal.Checks.notNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable address of one instance of a service: host, port, weight, zone and metadata.
 * Identity ({@link #equals}, {@link #hashCode}) is host and port only, so an updated weight or
 * zone still denotes the same instance and keeps its live state in a {@link Balancer}.
 *
 * <p>Instances are immutable and thread-safe.
 * <pre>{@code
 * Endpoint a = Endpoint.of("10.0.0.1", 8080);
 * Endpoint b = Endpoint.parse("[::1]:8080").withWeight(2);
 * Endpoint c = Endpoint.builder("users-1.internal", 8443).zone("eu-west-1a").metadata("version", "42").build();
 * }</pre>
 *
 * <p>Defaults: weight {@value #DEFAULT_WEIGHT}; no zone; no metadata. Weight 0 means drained: the
 * endpoint stays known but receives no traffic.
 */
public final class Endpoint {

    /** The weight of an endpoint built without one. */
    public static final int DEFAULT_WEIGHT = 1;
    /** The largest accepted weight. */
    public static final int MAX_WEIGHT = 1_000_000;

    private final String host;
    private final int port;
    private final int weight;
    private final String zone;
    private final Map<String, String> metadata;
    private final String authority;

    private Endpoint(String host, int port, int weight, String zone, Map<String, String> metadata) {
        this.host = host;
        this.port = port;
        this.weight = weight;
        this.zone = zone;
        this.metadata = metadata;
        this.authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * An endpoint with the default weight.
     *
     * @param host a host name or IP literal
     * @param port the port, 1-65535
     * @return the endpoint
     * @throws IllegalArgumentException if the host is not a host name or IP literal, or the port is not 1-65535
     */
    public static Endpoint of(String host, int port) {
        return new Endpoint(checkHost(host), checkPort(port), DEFAULT_WEIGHT, null, Map.of());
    }

    /**
     * A builder for an endpoint with weight, zone or metadata.
     *
     * @param host a host name or IP literal
     * @param port the port, 1-65535
     * @return a new builder
     */
    public static Builder builder(String host, int port) {
        return new Builder(checkHost(host), checkPort(port));
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port} or {@code scheme://host[:port][/]}. With a scheme
     * and no port, the scheme's default port is used (80 for http, 443 for https).
     *
     * @param text the address
     * @return the endpoint
     * @throws IllegalArgumentException naming the text and the rule it breaks
     */
    public static Endpoint parse(String text) {
        notNull(text, "endpoint");
        String s = text.trim();
        int defaultPort = -1;
        int schemeEnd = s.indexOf("://");
        if (schemeEnd >= 0) {
            String scheme = s.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (scheme.equals("http")) {
                defaultPort = 80;
            } else if (scheme.equals("https")) {
                defaultPort = 443;
            } else {
                throw bad(text, "scheme '" + scheme + "' is not http or https");
            }
            s = s.substring(schemeEnd + 3);
            if (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.indexOf('/') >= 0 || s.indexOf('?') >= 0 || s.indexOf('#') >= 0) {
                throw bad(text, "an endpoint has no path, query or fragment");
            }
        }
        if (s.isEmpty()) {
            throw bad(text, "expected: host:port");
        }
        String host;
        String portText;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 0) {
                throw bad(text, "unclosed '[' in IPv6 literal");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                portText = null;
            } else if (rest.charAt(0) == ':') {
                portText = rest.substring(1);
            } else {
                throw bad(text, "expected ':' after ']'");
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                host = s;
                portText = null;
            } else {
                if (s.indexOf(':') != colon) {
                    throw bad(text, "an IPv6 literal must be in brackets, e.g. [::1]:8080");
                }
                host = s.substring(0, colon);
                portText = s.substring(colon + 1);
            }
        }
        int port;
        if (portText == null) {
            if (defaultPort < 0) {
                throw bad(text, "missing port (expected: host:port)");
            }
            port = defaultPort;
        } else {
            port = parsePort(text, portText);
        }
        try {
            return of(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint '" + text + "': " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException bad(String text, String rule) {
        return new IllegalArgumentException("endpoint '" + text + "': " + rule);
    }

    static String checkHost(String host) {
        notNull(host, "host");
        if (host.isEmpty()) {
            throw badHost(host, "a host name or IP address");
        }
        String checked = host.indexOf(':') >= 0 ? checkIpv6(host) : checkNameOrIpv4(host);
        // the rules above follow RFC 2396 as java.net.URI applies them; this is the safety net
        String literal = checked.indexOf(':') >= 0 ? "[" + checked + "]" : checked;
        try {
            URI uri = new URI("http://" + literal + ":1/");
            if (uri.getHost() == null) {
                throw badHost(host, "a host java.net.URI accepts");
            }
        } catch (URISyntaxException e) {
            throw badHost(host, "a host java.net.URI accepts: " + e.getReason());
        }
        return checked;
    }

    private static IllegalArgumentException badHost(String host, String rule) {
        return new IllegalArgumentException("host: '" + host + "' (expected: " + rule + ")");
    }

    /** A DNS name (RFC 1123 labels, the last starting with a letter as RFC 2396 requires) or a dotted IPv4 address. */
    private static String checkNameOrIpv4(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty()) {
            throw badHost(host, "a host name or IP address");
        }
        boolean numeric = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                numeric = false;
                break;
            }
        }
        if (numeric) {
            return checkIpv4(host, name);
        }
        if (name.length() > 253) {
            throw badHost(host, "at most 253 characters");
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i < name.length() && name.charAt(i) != '.') {
                char c = name.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    throw badHost(host, "letters, digits, '-' and '.' only; found '" + c + "' at " + i
                            + (c == '_' ? ", which URIs cannot carry in a host" : ""));
                }
                continue;
            }
            int length = i - labelStart;
            if (length == 0) {
                throw badHost(host, "no empty label");
            }
            if (length > 63) {
                throw badHost(host, "labels of at most 63 characters");
            }
            if (name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                throw badHost(host, "no label starting or ending with '-'");
            }
            if (i == name.length()) {
                char first = name.charAt(labelStart);
                if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
                    throw badHost(host, "the last label of a host name starts with a letter, or an IPv4 address of four parts");
                }
            }
            labelStart = i + 1;
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static String checkIpv4(String host, String name) {
        String rule = "an IPv4 address of four numbers 0-255 without leading zeros";
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4) {
            throw badHost(host, rule);
        }
        for (String part : parts) {
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) < '0' || part.charAt(i) > '9') {
                    throw badHost(host, rule);
                }
            }
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || Integer.parseInt(part) > 255) {
                throw badHost(host, rule);
            }
        }
        return name;
    }

    /** RFC 4291 text form: at most eight groups of 1-4 hex digits, one "::", an optional IPv4 tail and zone. */
    private static String checkIpv6(String host) {
        String rule = "an IPv6 address of at most eight groups of 1-4 hex digits with at most one '::'";
        String address = host;
        int zone = host.indexOf('%');
        if (zone >= 0) {
            address = host.substring(0, zone);
            String id = host.substring(zone + 1);
            if (id.isEmpty()) {
                throw badHost(host, "a zone id after '%'");
            }
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                    throw badHost(host, "a zone id of letters, digits, '-', '.', '_'");
                }
            }
        }
        int doubleColon = address.indexOf("::");
        if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
            throw badHost(host, rule);
        }
        String[] groups = address.replace("::", ":*:").split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            boolean edge = i == 0 || i == groups.length - 1;
            if (g.isEmpty()) {
                // only the empty ends of a leading or trailing "::" ("::1" -> "", "*", "1")
                boolean besideStar = (i + 1 < groups.length && groups[i + 1].equals("*")) || (i > 0 && groups[i - 1].equals("*"));
                if (!(edge && besideStar)) {
                    throw badHost(host, rule);
                }
            } else if (g.equals("*")) {
                continue;
            } else if (i == groups.length - 1 && g.indexOf('.') >= 0) {
                checkIpv4(host, g);
                count += 2;
            } else {
                if (g.length() > 4) {
                    throw badHost(host, rule);
                }
                for (int k = 0; k < g.length(); k++) {
                    char c = g.charAt(k);
                    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                        throw badHost(host, rule);
                    }
                }
                count++;
            }
        }
        if (doubleColon >= 0 ? count > 7 : count != 8) {
            throw badHost(host, rule);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        return port;
    }

    /** A port as text: 1-5 ASCII digits without a sign or leading zero, 1-65535. */
    static int parsePort(String text, String portText) {
        boolean digits = !portText.isEmpty() && portText.length() <= 5 && (portText.charAt(0) != '0' || portText.length() == 1);
        for (int i = 0; digits && i < portText.length(); i++) {
            char c = portText.charAt(i);
            digits = c >= '0' && c <= '9';
        }
        if (!digits) {
            throw bad(text, "port '" + portText + "' (expected: 1-65535 in ASCII digits, no sign or leading zero)");
        }
        return Integer.parseInt(portText);
    }

    static int checkWeight(int weight) {
        if (weight < 0) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
        }
        if (weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: <= " + MAX_WEIGHT + ")");
        }
        return weight;
    }

    /** {@return the host name or IP literal, lower case, IPv6 without brackets} */
    public String host() {
        return host;
    }

    /** {@return the port, 1-65535} */
    public int port() {
        return port;
    }

    /** {@return the relative weight, 0 (drained) to {@value #MAX_WEIGHT}} */
    public int weight() {
        return weight;
    }

    /** {@return the zone, if one was given} */
    public Optional<String> zone() {
        return Optional.ofNullable(zone);
    }

    /** {@return the metadata, unmodifiable, in insertion order} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** {@return {@code host:port}, with IPv6 hosts in brackets: what goes into a URI} */
    public String authority() {
        return authority;
    }

    /**
     * This endpoint with another weight.
     *
     * @param weight the new weight
     * @return an endpoint equal to this one with that weight
     * @throws IllegalArgumentException if the weight is negative or above {@value #MAX_WEIGHT}
     */
    public Endpoint withWeight(int weight) {
        checkWeight(weight);
        return weight == this.weight ? this : new Endpoint(host, port, weight, zone, metadata);
    }

    /**
     * This endpoint in another zone ({@code null} for none).
     *
     * @param zone the zone, or {@code null}
     * @return an endpoint equal to this one in that zone
     */
    public Endpoint withZone(String zone) {
        return Objects.equals(zone, this.zone) ? this : new Endpoint(host, port, weight, checkZone(zone), metadata);
    }

    /** {@return a builder that starts from this endpoint's values} */
    public Builder toBuilder() {
        Builder b = new Builder(host, port).weight(weight).zone(zone);
        b.metadata.putAll(metadata);
        return b;
    }

    /**
     * Whether every attribute (weight, zone, metadata), not only the identity, is the same.
     *
     * @param other the endpoint to compare with
     * @return whether the attributes are the same
     */
    public boolean sameAttributes(Endpoint other) {
        return equals(other) && weight == other.weight && Objects.equals(zone, other.zone)
                && metadata.equals(other.metadata);
    }

    private static String checkZone(String zone) {
        if (zone != null && zone.isBlank()) {
            throw new IllegalArgumentException("zone: '" + zone + "' (expected: null or not blank)");
        }
        return zone;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Endpoint && ((Endpoint) o).port == port && ((Endpoint) o).host.equals(host));
    }

    @Override
    public int hashCode() {
        return host.hashCode() * 31 + port;
    }

    /** {@code host:port}, followed by the weight and zone when they are not the defaults. */
    @Override
    public String toString() {
        if (weight == DEFAULT_WEIGHT && zone == null) {
            return authority;
        }
        StringBuilder sb = new StringBuilder(authority).append(" (weight ").append(weight);
        if (zone != null) {
            sb.append(", zone ").append(zone);
        }
        return sb.append(')').toString();
    }

    /** Builds an {@link Endpoint}; not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private int weight = DEFAULT_WEIGHT;
        private String zone;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder(String host, int port) {
            this.host = host;
            this.port = port;
        }

        /**
         * @param weight the relative weight, 0 to {@value #MAX_WEIGHT}
         * @return this builder
         * @throws IllegalArgumentException if negative or above {@value #MAX_WEIGHT}
         */
        public Builder weight(int weight) {
            this.weight = checkWeight(weight);
            return this;
        }

        /**
         * @param zone the zone
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder zone(String zone) {
            this.zone = checkZone(zone);
            return this;
        }

        /**
         * @param key the metadata key
         * @param value its value
         * @return this builder
         * @throws NullPointerException if the key or the value is null
         */
        public Builder metadata(String key, String value) {
            metadata.put(notNull(key, "metadata key"), notNull(value, "metadata['" + key + "']"));
            return this;
        }

        /**
         * Adds every entry as metadata.
         *
         * @param entries the entries
         * @return this builder
         * @throws NullPointerException if a key or a value is null
         */
        public Builder metadata(Map<String, String> entries) {
            notNull(entries, "metadata").forEach(this::metadata);
            return this;
        }

        /** {@return the endpoint} */
        public Endpoint build() {
            return new Endpoint(host, port, weight, zone,
                    metadata.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata)));
        }
    }
}
