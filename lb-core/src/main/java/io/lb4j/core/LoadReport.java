package io.lb4j.core;

import static io.lb4j.core.internal.Checks.notNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The load one endpoint reported about itself, in the terms of ORCA (the Open Request Cost
 * Aggregation report of Envoy and gRPC): CPU, memory and application utilisation, requests and
 * errors per second, and named metrics. An HTTP client hands each report it reads from a response
 * to {@link Selection#loadReport(LoadReport)}; strategies that weigh endpoints by load read the
 * latest one from {@link EndpointState#loadReport()}.
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * LoadReport r = LoadReport.parseText("TEXT cpu_utilization=0.3, rps_fractional=120, eps=2");
 * LoadReport same = LoadReport.builder().cpuUtilization(0.3).rps(120).eps(2).build();
 * }</pre>
 */
public final class LoadReport {

    /** The prefix of the text form of the {@code endpoint-load-metrics} header. */
    public static final String TEXT_PREFIX = "TEXT ";

    private final double cpuUtilization;
    private final double memUtilization;
    private final double applicationUtilization;
    private final double rps;
    private final double eps;
    private final Map<String, Double> namedMetrics;

    private LoadReport(Builder b) {
        this.cpuUtilization = b.cpuUtilization;
        this.memUtilization = b.memUtilization;
        this.applicationUtilization = b.applicationUtilization;
        this.rps = b.rps;
        this.eps = b.eps;
        this.namedMetrics = b.namedMetrics.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.namedMetrics));
    }

    /**
     * A builder; every value defaults to 0 (not reported).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses the text form of an {@code endpoint-load-metrics} header:
     * {@code TEXT key=value, key=value, ...} with the keys {@code cpu_utilization},
     * {@code mem_utilization}, {@code application_utilization}, {@code rps_fractional} (or the
     * older {@code rps}), {@code eps} and {@code named_metrics.NAME}; other keys are ignored,
     * as are the other forms ({@code JSON ...}, {@code BIN ...}), for which it returns null.
     *
     * @param header the header value
     * @return the report, or null when the value is not in the text form
     * @throws IllegalArgumentException if a pair of the text form is not {@code key=number}, or a
     *     number is negative or not finite
     * @throws NullPointerException if header is null
     */
    public static LoadReport parseText(String header) {
        notNull(header, "header");
        String h = header.strip();
        if (!h.regionMatches(true, 0, TEXT_PREFIX, 0, TEXT_PREFIX.length())) {
            return null;
        }
        Builder b = new Builder();
        for (String pair : h.substring(TEXT_PREFIX.length()).split(",")) {
            String p = pair.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("load report: '" + p + "' (expected: key=number)");
            }
            String key = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            double value;
            try {
                value = Double.parseDouble(p.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("load report: '" + p + "' (expected: key=number)", e);
            }
            switch (key) {
                case "cpu_utilization" -> b.cpuUtilization(value);
                case "mem_utilization" -> b.memUtilization(value);
                case "application_utilization" -> b.applicationUtilization(value);
                case "rps_fractional" -> b.rps(value);
                case "rps" -> {
                    if (b.rps == 0) {
                        b.rps(value); // deprecated in ORCA; rps_fractional wins when both are there
                    }
                }
                case "eps" -> b.eps(value);
                default -> {
                    if (key.startsWith("named_metrics.") && key.length() > "named_metrics.".length()) {
                        b.namedMetric(p.substring("named_metrics.".length(), eq).strip(), value);
                    }
                }
            }
        }
        return b.build();
    }

    /**
     * CPU utilisation as a fraction of the CPU available; may exceed 1 past a soft limit.
     *
     * @return {@code >= 0}; 0 when not reported
     */
    public double cpuUtilization() {
        return cpuUtilization;
    }

    /**
     * Memory utilisation as a fraction of the memory available.
     *
     * @return {@code >= 0}; 0 when not reported
     */
    public double memUtilization() {
        return memUtilization;
    }

    /**
     * An application-defined utilisation (ORCA's {@code application_utilization}).
     *
     * @return {@code >= 0}; 0 when not reported
     */
    public double applicationUtilization() {
        return applicationUtilization;
    }

    /**
     * The utilisation load-aware strategies use: {@link #applicationUtilization()} when
     * reported (above 0), otherwise {@link #cpuUtilization()}, as Envoy's and gRPC's client-side
     * weighted round-robin do.
     *
     * @return {@code >= 0}
     */
    public double utilization() {
        return applicationUtilization > 0 ? applicationUtilization : cpuUtilization;
    }

    /**
     * Requests per second the endpoint serves (ORCA's {@code rps_fractional}).
     *
     * @return {@code >= 0}; 0 when not reported
     */
    public double rps() {
        return rps;
    }

    /**
     * Errors per second the endpoint answers.
     *
     * @return {@code >= 0}; 0 when not reported
     */
    public double eps() {
        return eps;
    }

    /**
     * Application metrics by name (ORCA's {@code named_metrics}).
     *
     * @return name to value, unmodifiable, in the order reported
     */
    public Map<String, Double> namedMetrics() {
        return namedMetrics;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadReport r && r.cpuUtilization == cpuUtilization && r.memUtilization == memUtilization
                && r.applicationUtilization == applicationUtilization && r.rps == rps && r.eps == eps
                && r.namedMetrics.equals(namedMetrics);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(cpuUtilization, memUtilization, applicationUtilization, rps, eps, namedMetrics);
    }

    @Override
    public String toString() {
        return "LoadReport{cpu=" + cpuUtilization + (memUtilization == 0 ? "" : ", mem=" + memUtilization)
                + (applicationUtilization == 0 ? "" : ", application=" + applicationUtilization) + ", rps=" + rps
                + ", eps=" + eps + (namedMetrics.isEmpty() ? "" : ", " + namedMetrics) + "}";
    }

    /** Builds a {@link LoadReport}; not thread-safe; each setter validates at once. */
    public static final class Builder {
        private double cpuUtilization;
        private double memUtilization;
        private double applicationUtilization;
        private double rps;
        private double eps;
        private final Map<String, Double> namedMetrics = new LinkedHashMap<>();

        private Builder() {}

        private static double check(double value, String name) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: a finite number >= 0)");
            }
            return value;
        }

        /**
         * CPU utilisation.
         *
         * @param value a fraction of the CPU available, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder cpuUtilization(double value) {
            this.cpuUtilization = check(value, "cpu_utilization");
            return this;
        }

        /**
         * Memory utilisation.
         *
         * @param value a fraction of the memory available, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder memUtilization(double value) {
            this.memUtilization = check(value, "mem_utilization");
            return this;
        }

        /**
         * Application utilisation.
         *
         * @param value {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder applicationUtilization(double value) {
            this.applicationUtilization = check(value, "application_utilization");
            return this;
        }

        /**
         * Requests per second.
         *
         * @param value {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder rps(double value) {
            this.rps = check(value, "rps_fractional");
            return this;
        }

        /**
         * Errors per second.
         *
         * @param value {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder eps(double value) {
            this.eps = check(value, "eps");
            return this;
        }

        /**
         * One named metric.
         *
         * @param name the metric's name, not blank
         * @param value {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if the name is blank, or the value negative or not finite
         */
        public Builder namedMetric(String name, double value) {
            notNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("named metric: '" + name + "' (expected: a name that is not blank)");
            }
            namedMetrics.put(name, check(value, "named_metrics." + name));
            return this;
        }

        /**
         * The report.
         *
         * @return a new immutable report
         */
        public LoadReport build() {
            return new LoadReport(this);
        }
    }
}
