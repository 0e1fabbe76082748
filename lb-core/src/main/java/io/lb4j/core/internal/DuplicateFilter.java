package io.lb4j.core.internal;

import io.lb4j.core.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Keeps the first of several registry entries for one address and reports each later one once,
 * not on every later change of the registry. Used by the sources of lb-discovery and
 * lb-zookeeper; not API. Not thread-safe: one per source, on its thread.
 */
public final class DuplicateFilter {
    private Set<String> reported = Set.of();

    /**
     * The endpoints of {@code byKey}, one per address, the first in key order winning.
     *
     * @param byKey registry key to endpoint, in a stable order
     * @param onNewDuplicate called with (duplicate key, key of the first entry) for each duplicate
     *        the previous call did not report
     * @return the endpoints, one per address, in key order
     */
    public List<Endpoint> firstPerAddress(Map<String, Endpoint> byKey, BiConsumer<String, String> onNewDuplicate) {
        List<Endpoint> list = new ArrayList<>(byKey.size());
        Map<Endpoint, String> seen = new HashMap<>();
        Set<String> duplicates = new HashSet<>();
        for (Map.Entry<String, Endpoint> e : byKey.entrySet()) {
            String first = seen.putIfAbsent(e.getValue(), e.getKey());
            if (first == null) {
                list.add(e.getValue());
                continue;
            }
            duplicates.add(e.getKey());
            if (!reported.contains(e.getKey())) {
                onNewDuplicate.accept(e.getKey(), first);
            }
        }
        reported = duplicates;
        return list;
    }
}
