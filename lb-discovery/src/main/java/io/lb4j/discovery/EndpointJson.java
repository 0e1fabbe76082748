package io.lb4j.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lb4j.core.Endpoint;
import java.util.Map;

/**
 * The one JSON shape of an instance, shared by the file and etcd sources and the registration:
 * {@code {"host":"10.0.0.1","port":8080,"weight":2,"zone":"a","metadata":{"version":"42"}}}.
 * Unknown fields are ignored so that newer writers do not break older readers. An instance whose
 * metadata says {@code "draining": "true"} is read with weight 0 (no new calls, not a failure).
 */
final class EndpointJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private EndpointJson() {}

    /**
     * Reads one instance; {@code where} prefixes error messages, e.g. {@code users[2]}.
     *
     * @throws IllegalArgumentException naming the place, the value and the rule
     */
    static Endpoint read(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": " + describe(node) + " (expected: an object with host and port)");
        }
        JsonNode host = node.get("host");
        if (host == null || !host.isTextual()) {
            throw new IllegalArgumentException(where + ".host: " + describe(host) + " (expected: a string)");
        }
        int port = integer(node, "port", where, true, 0);
        Endpoint.Builder b;
        try {
            b = Endpoint.builder(host.textValue(), port);
            b.weight(integer(node, "weight", where, false, Endpoint.DEFAULT_WEIGHT));
            JsonNode zone = node.get("zone");
            if (zone != null && !zone.isNull()) {
                if (!zone.isTextual()) {
                    throw new IllegalArgumentException("zone: " + describe(zone) + " (expected: a string)");
                }
                b.zone(zone.textValue());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "." + e.getMessage(), e);
        }
        JsonNode metadata = node.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                throw new IllegalArgumentException(where + ".metadata: " + describe(metadata) + " (expected: an object)");
            }
            for (Map.Entry<String, JsonNode> e : metadata.properties()) {
                JsonNode v = e.getValue();
                if (!v.isValueNode() || v.isNull()) {
                    throw new IllegalArgumentException(where + ".metadata." + e.getKey() + ": " + describe(v)
                            + " (expected: a string, number or boolean)");
                }
                b.metadata(e.getKey(), v.asText());
            }
            if (metadata.path(EtcdRegistration.DRAINING_KEY).asText().equalsIgnoreCase("true")) {
                b.weight(0);
            }
        }
        return b.build();
    }

    private static int integer(JsonNode node, String field, String where, boolean required, int dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + "." + field + ": missing (expected: an integer)");
            }
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(where + "." + field + ": " + describe(v) + " (expected: an integer)");
        }
        return v.intValue();
    }

    private static String describe(JsonNode v) {
        if (v == null) {
            return "missing";
        }
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    static ObjectNode write(Endpoint e) {
        return write(e, false);
    }

    /** The instance's JSON; draining adds {@code "draining": "true"} to its metadata. */
    static ObjectNode write(Endpoint e, boolean draining) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("host", e.host());
        n.put("port", e.port());
        n.put("weight", e.weight());
        e.zone().ifPresent(z -> n.put("zone", z));
        if (!e.metadata().isEmpty() || draining) {
            ObjectNode m = n.putObject("metadata");
            e.metadata().forEach(m::put);
            if (draining) {
                m.put(EtcdRegistration.DRAINING_KEY, "true");
            }
        }
        return n;
    }

    static String toJson(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen for a tree of plain values", e);
        }
    }
}
