package io.lb4j.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.lb4j.core.BalancerEvent;
import io.lb4j.core.BalancerView;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointView;
import io.lb4j.core.Exclusion;
import io.lb4j.core.LastOutcome;
import io.lb4j.core.OutcomeCounts;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Jackson serializers of lb-core's view types, in the schema of docs/admin.md. Field names are
 * written here once; Jackson does the writing (quoting, escaping, numbers). Instants are
 * ISO-8601 strings, enums lower-case with underscores, absent values {@code null}.
 */
final class ViewSerializers {

    private ViewSerializers() {}

    static SimpleModule module() {
        SimpleModule m = new SimpleModule("lb4j-views");
        m.addSerializer(BalancerView.class, new Balancers());
        m.addSerializer(EndpointView.class, new Endpoints());
        m.addSerializer(Exclusion.class, new Exclusions());
        m.addSerializer(OutcomeCounts.class, new Counts());
        m.addSerializer(LastOutcome.class, new LastOutcomes());
        m.addSerializer(BalancerEvent.class, new Events());
        return m;
    }

    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static void instant(JsonGenerator g, String field, Instant value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value.toString());
        }
    }

    private static void strings(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static final class Balancers extends StdSerializer<BalancerView> {
        Balancers() {
            super(BalancerView.class);
        }

        @Override
        public void serialize(BalancerView v, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeStringField("service", v.service());
            instant(g, "time", v.time());
            g.writeNumberField("version", v.version());
            g.writeBooleanField("closed", v.closed());
            g.writeObjectFieldStart("strategy");
            g.writeStringField("name", v.strategyName());
            strings(g, "settings", v.strategySettings());
            g.writeEndObject();
            g.writeObjectFieldStart("panic");
            g.writeBooleanField("active", v.panic());
            g.writeNumberField("threshold", v.panicThreshold());
            g.writeStringField("reason", v.panicReason());
            g.writeEndObject();
            g.writeObjectFieldStart("counts");
            g.writeNumberField("known", v.knownCount());
            g.writeNumberField("eligible", v.eligibleCount());
            g.writeNumberField("excluded", v.excludedCount());
            g.writeNumberField("drained", v.drainedCount());
            g.writeObjectFieldStart("excludedByOwner");
            for (Map.Entry<String, Integer> e : v.excludedCountByOwner().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeNumberField("sourceErrors", v.sourceErrorCount());
            g.writeObjectFieldStart("window");
            instant(g, "start", v.windowStart());
            g.writeNumberField("seconds", v.window().toNanos() / 1e9);
            g.writeEndObject();
            g.writeArrayFieldStart("endpoints");
            for (EndpointView e : v.endpoints()) {
                p.defaultSerializeValue(e, g);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("events");
            for (BalancerEvent e : v.recentEvents()) {
                p.defaultSerializeValue(e, g);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static final class Endpoints extends StdSerializer<EndpointView> {
        Endpoints() {
            super(EndpointView.class);
        }

        @Override
        public void serialize(EndpointView v, JsonGenerator g, SerializerProvider p) throws IOException {
            Endpoint e = v.endpoint();
            g.writeStartObject();
            g.writeStringField("address", e.authority());
            g.writeStringField("host", e.host());
            g.writeNumberField("port", e.port());
            g.writeNumberField("weight", e.weight());
            g.writeStringField("zone", e.zone().orElse(null));
            strings(g, "metadata", e.metadata());
            g.writeStringField("state", name(v.state()));
            g.writeBooleanField("pickable", v.pickable());
            g.writeArrayFieldStart("exclusions");
            for (Exclusion x : v.exclusions()) {
                p.defaultSerializeValue(x, g);
            }
            g.writeEndArray();
            g.writeNumberField("inFlight", v.inFlight());
            g.writeNumberField("pickShare", v.pickShare());
            g.writeFieldName("recent");
            p.defaultSerializeValue(v.recent(), g);
            g.writeFieldName("total");
            p.defaultSerializeValue(v.total(), g);
            if (v.latency().isPresent()) {
                g.writeNumberField("latencyMillis", v.latency().get().toNanos() / 1e6);
            } else {
                g.writeNullField("latencyMillis");
            }
            g.writeNumberField("slowStartShare", v.slowStartShare());
            g.writeFieldName("lastOutcome");
            p.defaultSerializeValue(v.lastOutcome().orElse(null), g);
            instant(g, "firstSeen", v.firstSeen());
            g.writeEndObject();
        }
    }

    private static final class Exclusions extends StdSerializer<Exclusion> {
        Exclusions() {
            super(Exclusion.class);
        }

        @Override
        public void serialize(Exclusion x, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeStringField("owner", x.owner());
            g.writeStringField("reason", x.reason());
            instant(g, "since", x.since());
            instant(g, "until", x.until().orElse(null));
            g.writeEndObject();
        }
    }

    private static final class Counts extends StdSerializer<OutcomeCounts> {
        Counts() {
            super(OutcomeCounts.class);
        }

        @Override
        public void serialize(OutcomeCounts c, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeNumberField("picks", c.picks());
            g.writeNumberField("successes", c.successes());
            g.writeNumberField("failures", c.failures());
            g.writeNumberField("connectionFailures", c.connectionFailures());
            g.writeNumberField("cancellations", c.cancellations());
            g.writeEndObject();
        }
    }

    private static final class LastOutcomes extends StdSerializer<LastOutcome> {
        LastOutcomes() {
            super(LastOutcome.class);
        }

        @Override
        public void serialize(LastOutcome o, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeStringField("outcome", name(o.outcome()));
            instant(g, "time", o.time());
            g.writeStringField("cause", o.cause().orElse(null));
            g.writeEndObject();
        }
    }

    private static final class Events extends StdSerializer<BalancerEvent> {
        Events() {
            super(BalancerEvent.class);
        }

        @Override
        public void serialize(BalancerEvent e, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeStringField("kind", name(e.kind()));
            instant(g, "time", e.time());
            g.writeNumberField("version", e.version());
            g.writeStringField("endpoint", e.endpoint().map(Endpoint::authority).orElse(null));
            g.writeStringField("owner", e.owner().orElse(null));
            g.writeStringField("reason", e.reason());
            instant(g, "until", e.until().orElse(null));
            g.writeStringField("message", e.message());
            g.writeEndObject();
        }
    }
}
