package io.lb4j.zookeeper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Apache Curator's {@code ServiceInstance} JSON, as curator-x-discovery's {@code JsonInstanceSerializer}
 * writes it and Spring Cloud Zookeeper and Dubbo fill it:
 * <pre>{@code
 * {"name":"users","id":"10.0.0.7:8080","address":"10.0.0.7","port":8080,"sslPort":null,
 *  "payload":{"@class":"org.springframework.cloud.zookeeper.discovery.ZookeeperInstance",
 *             "id":"10.0.0.7:8080","name":"users","metadata":{"zone":"eu-1a","weight":"2"}},
 *  "registrationTimeUTC":1700000000000,"serviceType":"DYNAMIC",
 *  "uriSpec":{"parts":[{"value":"scheme","variable":true},{"value":"://","variable":false},...]},
 *  "enabled":true}
 * }</pre>
 * Unknown fields are ignored.
 */
final class CuratorInstance {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private CuratorInstance() {}

    /**
     * Reads one instance into an endpoint: {@code address} and {@code port} (or {@code sslPort}),
     * the payload's {@code metadata} as metadata, its {@code weight} and {@code zone} entries as
     * weight and zone; a draining instance gets weight 0.
     *
     * @param where the znode path, prefixing messages
     * @param sslPort whether {@code sslPort} is the port to use
     * @throws IllegalArgumentException naming the place, the value and the rule
     */
    static Decoded read(byte[] data, String where, boolean sslPort) {
        JsonNode node;
        try {
            node = MAPPER.readTree(data);
        } catch (IOException e) {
            String text = new String(data, StandardCharsets.UTF_8);
            throw new IllegalArgumentException(where + ": not JSON: '" + (text.length() > 60 ? text.substring(0, 57) + "..." : text)
                    + "' (expected: a Curator ServiceInstance like {\"address\":...,\"port\":...})", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": " + describe(node) + " (expected: a Curator ServiceInstance object)");
        }
        JsonNode address = node.get("address");
        if (address == null || !address.isTextual()) {
            throw new IllegalArgumentException(where + ".address: " + describe(address) + " (expected: a host name or IP address)");
        }
        String portField = sslPort ? "sslPort" : "port";
        JsonNode port = node.get(portField);
        if (port == null || port.isNull()) {
            throw new IllegalArgumentException(where + "." + portField + ": missing (expected: the instance's "
                    + (sslPort ? "TLS " : "") + "port)");
        }
        if (!port.isIntegralNumber() || !port.canConvertToInt()) {
            throw new IllegalArgumentException(where + "." + portField + ": " + describe(port) + " (expected: an integer)");
        }
        Endpoint.Builder b;
        try {
            b = Endpoint.builder(address.textValue(), port.intValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "." + e.getMessage(), e);
        }
        String badWeight = null;
        int weight = Endpoint.DEFAULT_WEIGHT;
        String zone = null;
        JsonNode metadata = node.path("payload").path("metadata");
        for (Map.Entry<String, JsonNode> e : metadata.isObject() ? metadata.properties() : java.util.Set.<Map.Entry<String, JsonNode>>of()) {
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                continue; // Spring Cloud and Dubbo keep strings here; anything else is not for us
            }
            b.metadata(e.getKey(), v.asText());
            if (e.getKey().equals(ZooKeeperSource.WEIGHT_KEY)) {
                try {
                    weight = Integer.parseInt(v.asText().trim());
                    if (weight < 0 || weight > Endpoint.MAX_WEIGHT) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException nfe) {
                    badWeight = v.asText();
                    weight = Endpoint.DEFAULT_WEIGHT;
                }
            } else if (e.getKey().equals(ZooKeeperSource.ZONE_KEY) && !v.asText().isBlank()) {
                zone = v.asText();
            }
        }
        boolean draining = isDraining(node);
        Endpoint endpoint;
        try {
            if (zone != null) {
                b.zone(zone);
            }
            endpoint = b.weight(draining ? 0 : weight).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".payload.metadata." + e.getMessage(), e);
        }
        return new Decoded(endpoint, draining, badWeight == null ? null
                : where + ".payload.metadata.weight: '" + badWeight + "' (expected: an integer 0-" + Endpoint.MAX_WEIGHT
                        + "); using weight " + Endpoint.DEFAULT_WEIGHT);
    }

    /** Curator's {@code enabled: false}, or Spring Cloud's {@code instance_status} other than UP. */
    private static boolean isDraining(JsonNode node) {
        if (node.path("enabled").isBoolean() && !node.path("enabled").booleanValue()) {
            return true;
        }
        JsonNode status = node.path("payload").path("metadata").path(ZooKeeperSource.STATUS_KEY);
        return status.isValueNode() && !status.isNull() && !status.asText().isBlank()
                && !status.asText().trim().toUpperCase(Locale.ROOT).equals(ZooKeeperSource.STATUS_UP);
    }

    /**
     * The JSON of an lb4j registration.
     *
     * @param payloadClass the payload's {@code @class}, e.g. Spring Cloud's {@code ZookeeperInstance}
     * @param draining writes {@code enabled: false} and {@code instance_status: OUT_OF_SERVICE}
     */
    static byte[] write(String service, String id, Endpoint e, String payloadClass, long registrationTimeUtc, boolean draining) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", service);
        n.put("id", id);
        n.put("address", e.host());
        n.put("port", e.port());
        n.putNull("sslPort");
        ObjectNode payload = n.putObject("payload");
        payload.put("@class", payloadClass);
        payload.put("id", id);
        payload.put("name", service);
        ObjectNode metadata = payload.putObject("metadata");
        e.metadata().forEach(metadata::put);
        if (e.weight() != Endpoint.DEFAULT_WEIGHT) {
            metadata.put(ZooKeeperSource.WEIGHT_KEY, Integer.toString(e.weight()));
        }
        e.zone().ifPresent(z -> metadata.put(ZooKeeperSource.ZONE_KEY, z));
        if (draining) {
            metadata.put(ZooKeeperSource.STATUS_KEY, ZooKeeperSource.STATUS_OUT_OF_SERVICE);
        }
        n.put("registrationTimeUTC", registrationTimeUtc);
        n.put("serviceType", "DYNAMIC");
        // Spring Cloud's default {scheme}://{address}:{port}, so that buildUriSpec() works for Curator users
        ArrayNode parts = n.putObject("uriSpec").putArray("parts");
        for (String[] part : new String[][] {{"scheme", "true"}, {"://", "false"}, {"address", "true"}, {":", "false"}, {"port", "true"}}) {
            parts.addObject().put("value", part[0]).put("variable", Boolean.parseBoolean(part[1]));
        }
        n.put("enabled", !draining);
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot happen for a tree of plain values", ex);
        }
    }

    private static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** An instance read, whether it is draining, and a warning about its weight (null if none). */
    record Decoded(Endpoint endpoint, boolean draining, String weightWarning) {}
}
