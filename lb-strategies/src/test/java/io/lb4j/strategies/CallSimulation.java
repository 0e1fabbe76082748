package io.lb4j.strategies;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selection;
import io.lb4j.testing.FakeTicker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Discrete-event calls through a real {@link Balancer} on a {@link FakeTicker}: the simulated
 * backends answer after a scripted latency, with success or failure; a failed call is retried
 * once at once, avoiding the endpoint that failed (as lb-http does). Every pick (first attempt or
 * retry) is recorded with its time, so tests can count shares over any window.
 */
final class CallSimulation {

    /** How a simulated backend answers a call that starts at {@code startNanos}. */
    interface Backend {
        /** How long the call takes. */
        long latencyNanos(Endpoint endpoint, long startNanos);

        /** Whether it fails. */
        default boolean fails(Endpoint endpoint, long startNanos) {
            return false;
        }
    }

    /** One pick: when, where, and whether it was a retry. */
    record Pick(long atNanos, Endpoint endpoint, boolean retry) {}

    private record Completion(long atNanos, long seq, Selection selection, boolean failed) {}

    private final Balancer balancer;
    private final FakeTicker ticker;
    private final Backend backend;
    private final PriorityQueue<Completion> pending = new PriorityQueue<>(
            (x, y) -> x.atNanos != y.atNanos ? Long.compare(x.atNanos, y.atNanos) : Long.compare(x.seq, y.seq));
    private final List<Pick> picks = new ArrayList<>();
    private long seq;

    CallSimulation(Balancer balancer, FakeTicker ticker, Backend backend) {
        this.balancer = balancer;
        this.ticker = ticker;
        this.backend = backend;
    }

    /** Open loop: a new call every {@code gapNanos} until {@code untilNanos}, whatever is in flight. */
    CallSimulation openLoop(long gapNanos, long untilNanos) {
        for (long t = ticker.read() + gapNanos; t <= untilNanos; t += gapNanos) {
            completeUntil(t);
            ticker.set(t);
            start(PickContext.NONE, false);
        }
        completeUntil(untilNanos);
        ticker.set(untilNanos);
        return this;
    }

    /** Closed loop, one call at a time: each call (and its retry) starts when the previous one answered. */
    CallSimulation sequential(int calls) {
        for (int i = 0; i < calls; i++) {
            start(PickContext.NONE, false);
            completeUntil(Long.MAX_VALUE);
        }
        return this;
    }

    private void start(PickContext context, boolean retry) {
        long now = ticker.read();
        Selection s = balancer.pick(context);
        Endpoint e = s.endpoint();
        picks.add(new Pick(now, e, retry));
        pending.add(new Completion(now + backend.latencyNanos(e, now), seq++, s, !retry && backend.fails(e, now)));
    }

    private void completeUntil(long t) {
        while (!pending.isEmpty() && pending.peek().atNanos <= t) {
            Completion c = pending.poll();
            ticker.set(c.atNanos);
            if (c.failed) {
                c.selection.failure(new IOException("simulated failure"));
                start(PickContext.avoiding(List.of(c.selection.endpoint())), true);
            } else {
                c.selection.success();
            }
        }
    }

    List<Pick> picks() {
        return picks;
    }

    /** Picks per endpoint with {@code from <= at < to}. */
    Map<Endpoint, Integer> counts(long fromNanos, long toNanos) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (Pick p : picks) {
            if (p.atNanos >= fromNanos && p.atNanos < toNanos) {
                counts.merge(p.endpoint, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The share of picks in {@code [from, to)} that went to {@code endpoint}. */
    double share(Endpoint endpoint, long fromNanos, long toNanos) {
        Map<Endpoint, Integer> counts = counts(fromNanos, toNanos);
        int all = counts.values().stream().mapToInt(Integer::intValue).sum();
        return all == 0 ? 0 : (double) counts.getOrDefault(endpoint, 0) / all;
    }
}
