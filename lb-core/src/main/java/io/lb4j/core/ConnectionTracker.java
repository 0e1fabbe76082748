package io.lb4j.core;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes an endpoint out at its first connection failure and brings it back once a background
 * {@link ConnectionCheck} passes after a jittered backoff ({@link ReconnectPolicy}), owner
 * {@code "connection"}. Reports arrive on any thread and are handed to the control executor;
 * the map below is touched only there.
 */
final class ConnectionTracker {
    static final String OWNER = "connection";
    private static final Logger log = LoggerFactory.getLogger(Balancer.class);

    private final DefaultBalancer balancer;
    private final ReconnectPolicy policy;
    private final ExclusionSet exclusions;
    // control executor only
    private final Map<EndpointState, Down> down = new HashMap<>();

    ConnectionTracker(DefaultBalancer balancer, ReconnectPolicy policy) {
        this.balancer = balancer;
        this.policy = policy;
        this.exclusions = balancer.newExclusions(OWNER);
    }

    /** Whether {@code cause} says the endpoint could not be reached at all. */
    static boolean isConnectionLevel(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof PortUnreachableException || t instanceof UnresolvedAddressException) {
                return true;
            }
            if (!(t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)) {
                return false; // only look through wrappers, not through any cause chain
            }
        }
        return false;
    }

    boolean enabled() {
        return policy.enabled();
    }

    /** A connection failure of a call to {@code st}; any thread. */
    void onConnectionFailure(EndpointState st, Throwable cause) {
        if (exclusions.excludes(st.endpoint()) || !st.requestDown()) {
            return; // already out, or already on its way out
        }
        balancer.control().execute(() -> {
            st.downHandled();
            down(st, cause);
        });
    }

    /** A successful call: the next failure starts the backoff afresh. */
    void onSuccess(EndpointState st) {
        st.connected();
    }

    // ---- control executor

    private void down(EndpointState st, Throwable cause) {
        if (balancer.isClosed() || balancer.snapshot().member(st.endpoint()) != st || down.containsKey(st)) {
            return;
        }
        Down d = new Down(st, DefaultBalancer.describe(cause));
        down.put(st, d);
        long wait = policy.backoffNanos(st.reconnectAttempts(), balancer.random());
        log.info("'{}': {} is unreachable ({}); out of rotation, checking again in {} ms",
                balancer.service(), st.endpoint(), d.cause, TimeUnit.NANOSECONDS.toMillis(wait));
        exclusions.exclude(st.endpoint(), "connection failed: " + d.cause, Duration.ofNanos(wait));
        scheduleCheck(d, wait);
    }

    private void scheduleCheck(Down d, long waitNanos) {
        try {
            d.next = balancer.schedule(() -> check(d), waitNanos);
        } catch (RejectedExecutionException e) {
            log.warn("'{}': the scheduler rejected the reconnect check of {}; returning it now", balancer.service(), d.state.endpoint(), e);
            up(d, "its check could not be scheduled");
        }
    }

    private void check(Down d) {
        if (down.get(d.state) != d) {
            return;
        }
        CompletionStage<Boolean> result;
        try {
            result = policy.check().check(d.state.endpoint());
        } catch (RuntimeException e) {
            checked(d, false, e);
            return;
        }
        result.whenComplete((ok, error) -> balancer.control().execute(() -> checked(d, Boolean.TRUE.equals(ok) && error == null, error)));
    }

    private void checked(Down d, boolean reachable, Throwable error) {
        if (down.get(d.state) != d || balancer.isClosed()) {
            return;
        }
        if (reachable) {
            up(d, "a connection check passed");
            return;
        }
        int attempts = d.state.reconnectAttempts() + 1;
        d.state.reconnectAttempts(attempts);
        long wait = policy.backoffNanos(attempts, balancer.random());
        log.debug("'{}': {} still unreachable{} ({} checks failed); checking again in {} ms", balancer.service(),
                d.state.endpoint(), error == null ? "" : ": " + DefaultBalancer.describe(error), attempts,
                TimeUnit.NANOSECONDS.toMillis(wait));
        exclusions.exclude(d.state.endpoint(), "connection failed: " + d.cause + "; " + attempts
                + (attempts == 1 ? " check" : " checks") + " failed since", Duration.ofNanos(wait));
        scheduleCheck(d, wait);
    }

    private void up(Down d, String why) {
        down.remove(d.state);
        exclusions.include(d.state.endpoint());
        log.info("'{}': {} is reachable again: {}", balancer.service(), d.state.endpoint(), why);
    }

    /** Drops endpoints that left the list; on the control executor after a rebuild. */
    void retain(Map<Endpoint, EndpointState> members) {
        for (Iterator<Map.Entry<EndpointState, Down>> it = down.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<EndpointState, Down> e = it.next();
            if (members.get(e.getKey().endpoint()) != e.getKey()) {
                it.remove();
                if (e.getValue().next != null) {
                    e.getValue().next.cancel(false);
                }
            }
        }
    }

    void close() {
        for (Down d : down.values()) {
            if (d.next != null) {
                d.next.cancel(false);
            }
        }
    }

    int downCount() {
        return exclusions.size();
    }

    private static final class Down {
        final EndpointState state;
        final String cause;
        Future<?> next;

        Down(EndpointState state, String cause) {
            this.state = state;
            this.cause = cause;
        }
    }
}
