package io.lb4j.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the tests do to etcd behind the sources' backs: put, delete, compact, look. */
final class EtcdOps implements AutoCloseable {
    private final EtcdClient client;

    EtcdOps(String url) {
        this.client = new EtcdClient(EtcdClient.parseEndpoints(url), Duration.ofSeconds(5), "test-etcd-ops");
    }

    /** Puts a raw value; returns the new revision. */
    long put(String key, String value) {
        ObjectNode body = EndpointJson.MAPPER.createObjectNode();
        body.put("key", EtcdClient.b64(key));
        body.put("value", EtcdClient.b64(value));
        return call("/v3/kv/put", body).path("header").path("revision").asLong();
    }

    long instance(String key, String host, int port, int weight) {
        return put(key, "{\"host\":\"" + host + "\",\"port\":" + port + ",\"weight\":" + weight + "}");
    }

    long delete(String key) {
        ObjectNode body = EndpointJson.MAPPER.createObjectNode();
        body.put("key", EtcdClient.b64(key));
        return call("/v3/kv/deleterange", body).path("header").path("revision").asLong();
    }

    void compact(long revision) {
        ObjectNode body = EndpointJson.MAPPER.createObjectNode();
        body.put("revision", Long.toString(revision));
        body.put("physical", true);
        call("/v3/kv/compaction", body);
    }

    void revoke(long leaseId) {
        ObjectNode body = EndpointJson.MAPPER.createObjectNode();
        body.put("ID", Long.toString(leaseId));
        call("/v3/lease/revoke", body);
    }

    /** Every key under the prefix with its value. */
    Map<String, String> get(String prefix) {
        Map<String, String> result = new TreeMap<>();
        for (JsonNode kv : call("/v3/kv/range", EtcdClient.prefixRange(prefix)).path("kvs")) {
            result.put(new String(EtcdClient.unb64(kv.get("key")), StandardCharsets.UTF_8),
                    new String(EtcdClient.unb64(kv.get("value")), StandardCharsets.UTF_8));
        }
        return result;
    }

    /** The lease of each key under the prefix. */
    Map<String, Long> leases(String prefix) {
        Map<String, Long> result = new TreeMap<>();
        for (JsonNode kv : call("/v3/kv/range", EtcdClient.prefixRange(prefix)).path("kvs")) {
            result.put(new String(EtcdClient.unb64(kv.get("key")), StandardCharsets.UTF_8), kv.path("lease").asLong(0));
        }
        return result;
    }

    List<String> keys(String prefix) {
        return List.copyOf(get(prefix).keySet());
    }

    private JsonNode call(String path, JsonNode body) {
        try {
            return client.post(path, body);
        } catch (IOException e) {
            throw new IllegalStateException(path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
