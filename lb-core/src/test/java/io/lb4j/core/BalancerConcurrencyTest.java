package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Picks racing list swaps. Each generation g of the list holds one stable endpoint and two of its
 * own (ports 1000+2g, 1001+2g), so a pick can tell which generation its endpoint came from: a pick
 * that starts after {@code update(g)} returned must never see an endpoint of a generation before g.
 */
class BalancerConcurrencyTest {

    private static final int PICKS_PER_THREAD = 1_000_000;
    private static final int SWAPS = 10_000;
    private static final Endpoint STABLE = Endpoint.of("stable", 1);

    private static List<Endpoint> generation(int g) {
        return List.of(Endpoint.of("gen", 1000 + 2 * g), STABLE, Endpoint.of("gen", 1001 + 2 * g));
    }

    private static int generationOf(Endpoint e) {
        return e.equals(STABLE) ? Integer.MAX_VALUE : (e.port() - 1000) / 2;
    }

    @Test
    void picksNeverFailNorSeeEndpointsRemovedBeforeThePickStarted() throws Exception {
        Balancer b = Balancer.builder("users").endpoints(generation(0)).strategy(AllBookkeeping.ROUND_ROBIN).build();
        AtomicInteger published = new AtomicInteger(0);
        AtomicBoolean writerDone = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong picks = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);

        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < PICKS_PER_THREAD; i++) {
                        int before = published.get();
                        Selection s = b.pick();
                        int g = generationOf(s.endpoint());
                        if (g < before) {
                            throw new AssertionError("pick after update(" + before + ") returned got " + s.endpoint()
                                    + " of generation " + g);
                        }
                        if (s.state().inFlight() < 1) {
                            throw new AssertionError("in-flight not counted for " + s.endpoint());
                        }
                        s.success();
                        picks.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "picker-" + t));
        }
        Thread writer = new Thread(() -> {
            try {
                start.await();
                for (int g = 1; g <= SWAPS; g++) {
                    b.update(generation(g));
                    published.set(g);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                writerDone.set(true);
            }
        }, "writer");
        threads.add(writer);
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join(120_000);
            assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
        }

        assertThat(failure.get()).isNull();
        assertThat(writerDone).isTrue();
        assertThat(picks.get()).isEqualTo(2L * PICKS_PER_THREAD);
        assertThat(b.endpoints()).containsExactlyElementsOf(generation(SWAPS));
        // every selection was completed, and the stable endpoint kept its state through every swap
        assertThat(b.snapshot().member(STABLE).inFlight()).isZero();
        assertThat(b.snapshot().member(STABLE).successCount()).isPositive();
    }
}
