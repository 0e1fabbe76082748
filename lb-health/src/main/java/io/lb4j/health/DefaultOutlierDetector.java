package io.lb4j.health;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.OutlierEjection;
import io.lb4j.core.internal.OutlierControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link OutlierDetector}: a front for the outlier ejection built into every balancer
 * (lb-core's {@link OutlierEjection}), so that there is one mechanism and one owner of ejections.
 * It installs its configuration on build, links passing probes of an attached checker to early
 * returns, counts ejections for Micrometer, and on close ends its ejections and puts back the
 * configuration the balancer had before.
 */
final class DefaultOutlierDetector implements OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);
    private final Balancer balancer;
    private final OutlierControl control;
    private final OutlierEjection previous;
    private final DefaultHealthChecker healthChecker;
    private final ProbeObserver probeObserver = this::onProbe;
    private final Runnable ejectionObserver;
    private final long ejectionsBefore;
    private final long returnsBefore;
    private final long skippedBefore;
    private volatile boolean closed;

    DefaultOutlierDetector(OutlierDetectorBuilder b) {
        this.balancer = b.balancer;
        if (!(balancer instanceof OutlierControl)) {
            throw new IllegalArgumentException("balancer: " + balancer + " (expected: one built by Balancer.builder)");
        }
        this.control = (OutlierControl) balancer;
        this.healthChecker = (DefaultHealthChecker) b.healthChecker;
        if (healthChecker != null && healthChecker.isClosed()) {
            throw new IllegalStateException("health checker of '" + balancer.service() + "' is closed");
        }
        // one detector per balancer: a second would silently replace the first's rules
        if (!control.attachFront(this)) {
            throw new IllegalStateException("'" + balancer.service()
                    + "' already has an OutlierDetector (expected: one per balancer; close the other first)");
        }
        Metrics metrics = Metrics.of(b.meterRegistry, balancer);
        this.ejectionObserver = metrics::ejection;
        this.previous = control.outlierEjection();
        this.ejectionsBefore = control.ejectionCount();
        this.returnsBefore = control.returnCount();
        this.skippedBefore = control.skippedEjectionCount();
        control.outlierEjection(b.toConfig());
        control.addEjectionObserver(ejectionObserver);
        if (healthChecker != null && b.unEjectOnHealthyProbe) {
            healthChecker.addProbeObserver(probeObserver);
        }
        log.debug("'{}': outlier detection {}", balancer.service(), b.toConfig());
    }

    @Override
    public Balancer balancer() {
        return balancer;
    }

    private void onProbe(Endpoint endpoint, boolean healthy, long startNanos) {
        if (healthy && !closed) {
            // a probe started before the ejection says nothing about the endpoint since
            control.endEjection(endpoint, startNanos, "an active health check passed");
        }
    }

    @Override
    public long ejectionCount() {
        return control.ejectionCount() - ejectionsBefore;
    }

    @Override
    public long returnCount() {
        return control.returnCount() - returnsBefore;
    }

    @Override
    public long skippedEjectionCount() {
        return control.skippedEjectionCount() - skippedBefore;
    }

    @Override
    public int ejectedCount() {
        return control.ejectedCount();
    }

    @Override
    public int ejectionMultiplier(Endpoint endpoint) {
        return control.ejectionMultiplier(endpoint);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (healthChecker != null) {
            healthChecker.removeProbeObserver(probeObserver);
        }
        control.removeEjectionObserver(ejectionObserver);
        control.outlierEjection(OutlierEjection.disabled()); // ends this detector's ejections
        control.outlierEjection(previous);
        control.detachFront(this);
    }

    @Override
    public String toString() {
        return "OutlierDetector{" + balancer.service() + ", " + ejectedCount() + " ejected}";
    }
}
