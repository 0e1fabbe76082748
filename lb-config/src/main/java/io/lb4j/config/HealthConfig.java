package io.lb4j.config;

import io.lb4j.core.Balancer;
import io.lb4j.health.HealthChecker;
import io.lb4j.health.HealthCheckerBuilder;
import io.lb4j.health.Probe;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Active health checking of one service (keys {@code lb4j.services.<name>.health.*}): the probe
 * and its schedule. Settings left out keep {@link HealthCheckerBuilder}'s defaults.
 *
 * <p>Immutable and thread-safe.
 */
public final class HealthConfig {

    /** The kinds of probe. */
    public enum ProbeKind {
        /** An HTTP GET of the path; healthy iff 200-399 ({@link Probe#http(String)}). */
        HTTP,
        /** An HTTPS GET of the path, the certificate checked against the service name ({@link Probe#https(String)}). */
        HTTPS,
        /** A TCP connect ({@link Probe#tcp()}). */
        TCP
    }

    private final ProbeKind probe;
    private final String path;
    private final Duration interval;
    private final Duration timeout;
    private final Double jitter;
    private final Integer unhealthyThreshold;
    private final Integer healthyThreshold;
    private final Integer maxConcurrentProbes;

    private HealthConfig(ProbeKind probe, String path, Values v) {
        this.probe = probe;
        this.path = path;
        this.interval = v.duration("health.interval");
        this.timeout = v.duration("health.timeout");
        this.jitter = v.decimal("health.jitter");
        this.unhealthyThreshold = v.integer("health.unhealthy-threshold");
        this.healthyThreshold = v.integer("health.healthy-threshold");
        this.maxConcurrentProbes = v.integer("health.max-concurrent-probes");
    }

    /** Reads the health keys of one service: null when health checking is off or a problem was found. */
    static HealthConfig read(Values v, Balancer validation) {
        Boolean explicit = v.bool("health.enabled");
        boolean enabled = explicit != null ? explicit : v.has("health.path") || v.has("health.probe");
        if (!enabled) {
            v.rejectGroup("health.", "health.enabled", explicit != null ? "only with health.enabled=true"
                    : "only with health checking on: set health.path or health.probe");
            return null;
        }
        int before = v.problems.size();
        String kind = v.string("health.probe");
        String path = v.string("health.path");
        ProbeKind probe = null;
        if (kind == null) {
            probe = path != null || v.has("health.path") ? ProbeKind.HTTP : ProbeKind.TCP;
        } else {
            switch (kind.toLowerCase(Locale.ROOT)) {
                case "http":
                    probe = ProbeKind.HTTP;
                    break;
                case "https":
                    probe = ProbeKind.HTTPS;
                    break;
                case "tcp":
                    probe = ProbeKind.TCP;
                    break;
                default:
                    v.problem("health.probe", "expected one of: http, https, tcp");
            }
        }
        boolean web = probe == ProbeKind.HTTP || probe == ProbeKind.HTTPS;
        if (web && path == null && !v.has("health.path")) {
            v.problem("health.probe", "health.probe=" + kind + " needs health.path, like /healthz");
        }
        if (probe == ProbeKind.TCP && v.has("health.path")) {
            v.problem("health.path", "only with health.probe=http or https");
        }
        if (web && path != null) {
            v.apply("health.path", path, probe == ProbeKind.HTTP ? Probe::http : Probe::https);
        }
        HealthConfig h = new HealthConfig(probe, path, v);
        HealthCheckerBuilder b = HealthChecker.builder(validation);
        v.apply("health.interval", h.interval, b::interval);
        v.apply("health.timeout", h.timeout, b::timeout);
        v.apply("health.jitter", h.jitter, b::jitter);
        v.apply("health.unhealthy-threshold", h.unhealthyThreshold, b::unhealthyThreshold);
        v.apply("health.healthy-threshold", h.healthyThreshold, b::healthyThreshold);
        v.apply("health.max-concurrent-probes", h.maxConcurrentProbes, b::maxConcurrentProbes);
        return v.problems.size() == before ? h : null;
    }

    /**
     * Applies these settings to a checker's builder.
     *
     * @param b the builder
     * @return the same builder
     */
    public HealthCheckerBuilder configure(HealthCheckerBuilder b) {
        b.probe(probe == ProbeKind.HTTP ? Probe.http(path) : probe == ProbeKind.HTTPS ? Probe.https(path) : Probe.tcp());
        if (interval != null) {
            b.interval(interval);
        }
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (jitter != null) {
            b.jitter(jitter);
        }
        if (unhealthyThreshold != null) {
            b.unhealthyThreshold(unhealthyThreshold);
        }
        if (healthyThreshold != null) {
            b.healthyThreshold(healthyThreshold);
        }
        if (maxConcurrentProbes != null) {
            b.maxConcurrentProbes(maxConcurrentProbes);
        }
        return b;
    }

    /**
     * The probe.
     *
     * @return the kind of probe
     */
    public ProbeKind probe() {
        return probe;
    }

    /**
     * The path of an HTTP probe.
     *
     * @return the path, empty for a TCP probe
     */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /**
     * The probe interval.
     *
     * @return the interval ({@link HealthCheckerBuilder#DEFAULT_INTERVAL} when not set)
     */
    public Duration interval() {
        return interval != null ? interval : HealthCheckerBuilder.DEFAULT_INTERVAL;
    }

    /**
     * The probe timeout.
     *
     * @return the timeout ({@link HealthCheckerBuilder#DEFAULT_TIMEOUT} when not set)
     */
    public Duration timeout() {
        return timeout != null ? timeout : HealthCheckerBuilder.DEFAULT_TIMEOUT;
    }

    /**
     * Failed probes in a row that make an endpoint unhealthy.
     *
     * @return the threshold ({@link HealthCheckerBuilder#DEFAULT_UNHEALTHY_THRESHOLD} when not set)
     */
    public int unhealthyThreshold() {
        return unhealthyThreshold != null ? unhealthyThreshold : HealthCheckerBuilder.DEFAULT_UNHEALTHY_THRESHOLD;
    }

    /**
     * Passed probes in a row that make an endpoint healthy again.
     *
     * @return the threshold ({@link HealthCheckerBuilder#DEFAULT_HEALTHY_THRESHOLD} when not set)
     */
    public int healthyThreshold() {
        return healthyThreshold != null ? healthyThreshold : HealthCheckerBuilder.DEFAULT_HEALTHY_THRESHOLD;
    }

    @Override
    public String toString() {
        return "health{probe=" + (probe == ProbeKind.TCP ? "tcp" : probe.name().toLowerCase(Locale.ROOT) + " " + path) + ", interval=" + interval()
                + ", timeout=" + timeout() + ", unhealthyThreshold=" + unhealthyThreshold()
                + ", healthyThreshold=" + healthyThreshold() + "}";
    }
}
