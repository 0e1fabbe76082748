package io.lb4j.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * The JSON schema of docs/admin.md as records: reading into them with {@link #STRICT} fails on a
 * field the schema does not have, a field it has that is missing, and a wrong type.
 */
final class Schema {
    static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Schema() {}

    record Balancers(List<Balancer> balancers) {}

    record Balancer(String service, String time, long version, boolean closed, Strategy strategy, Panic panic,
                    Counts counts, long sourceErrors, Window window, List<Endpoint> endpoints, List<Event> events) {}

    record Strategy(String name, Map<String, String> settings) {}

    record Panic(boolean active, double threshold, String reason) {}

    record Counts(int known, int eligible, int excluded, int drained, Map<String, Integer> excludedByOwner) {}

    record Window(String start, double seconds) {}

    record Endpoint(String address, String host, int port, int weight, String zone, Map<String, String> metadata,
                    String state, boolean pickable, List<Exclusion> exclusions, int inFlight, double pickShare,
                    Outcomes recent, Outcomes total, Double latencyMillis, double slowStartShare, LastOutcome lastOutcome,
                    String firstSeen) {}

    record Exclusion(String owner, String reason, String since, String until) {}

    record Outcomes(long picks, long successes, long failures, long connectionFailures, long cancellations) {}

    record LastOutcome(String outcome, String time, String cause) {}

    record Event(String kind, String time, long version, String endpoint, String owner, String reason, String until,
                 String message) {}

    record Error(String error, int status) {}
}
