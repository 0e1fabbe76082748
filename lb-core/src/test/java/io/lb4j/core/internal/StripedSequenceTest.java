package io.lb4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StripedSequenceTest {

    @Test
    void theFirstSteppingThreadWalksFromTheStartInOrderAcrossTheWrap() {
        StripedSequence sequence = new StripedSequence(Integer.MAX_VALUE - 1);
        assertThat(sequence.next()).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(sequence.next()).isEqualTo(Integer.MAX_VALUE);
        assertThat(sequence.next()).isEqualTo(Integer.MIN_VALUE);
        assertThat(sequence.steps()).isEqualTo(3);
    }

    /** Threads of other stripes start 2^32 / golden ratio apart, each in its own order. */
    @Test
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
    void otherStripesStartSpreadAndEachWalksItsOwnPositions() throws InterruptedException {
        StripedSequence sequence = new StripedSequence(100);
        long first = Thread.currentThread().getId();
        assertThat(sequence.next()).isEqualTo(100);
        List<int[]> seen = new ArrayList<>();
        List<Integer> stripes = new ArrayList<>();
        // one thread at a time, so that no step is lost to a race; enough threads to cover every stripe
        for (int t = 0; t < 16; t++) {
            int[] positions = new int[3];
            Thread thread = new Thread(() -> {
                for (int i = 0; i < positions.length; i++) {
                    positions[i] = sequence.next();
                }
            });
            thread.start();
            thread.join();
            seen.add(positions);
            stripes.add((int) (thread.getId() ^ first) & (StripedSequence.STRIPES - 1));
        }
        int[] stepsPerStripe = new int[StripedSequence.STRIPES];
        stepsPerStripe[0] = 1;
        for (int t = 0; t < seen.size(); t++) {
            int stripe = stripes.get(t);
            int expectedFirst = 100 + stripe * StripedSequence.STAGGER + stepsPerStripe[stripe];
            assertThat(seen.get(t)).as("thread %d, stripe %d", t, stripe)
                    .containsExactly(expectedFirst, expectedFirst + 1, expectedFirst + 2);
            stepsPerStripe[stripe] += 3;
        }
        assertThat(sequence.steps()).isEqualTo(16 * 3 + 1);
    }

    /**
     * Threads stepping at once may repeat positions (a thread that read a position and was
     * preempted before writing it back sets its stripe back); what is repeated is a run of
     * consecutive positions, so a list still gets even shares.
     */
    @Test
    void concurrentStepsKeepSharesEven() throws InterruptedException {
        StripedSequence sequence = new StripedSequence(0);
        int threads = 8;
        int steps = 200_000;
        int n = 7;
        java.util.concurrent.atomic.AtomicLongArray counts = new java.util.concurrent.atomic.AtomicLongArray(n);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                long[] mine = new long[n];
                for (int i = 0; i < steps; i++) {
                    mine[(sequence.next() & Integer.MAX_VALUE) % n]++;
                }
                for (int e = 0; e < n; e++) {
                    counts.addAndGet(e, mine[e]);
                }
            });
            started.add(thread);
            thread.start();
        }
        for (Thread thread : started) {
            thread.join();
        }
        double mean = (double) threads * steps / n;
        for (int e = 0; e < n; e++) {
            assertThat((double) counts.get(e)).as("endpoint %d", e).isBetween(mean * 0.98, mean * 1.02);
        }
        assertThat(sequence.steps()).isPositive();
    }

    /** The thread that builds a balancer need not be the one that picks first. */
    @Test
    void theFirstStepMayComeFromAnotherThreadThanTheCreator() throws InterruptedException {
        StripedSequence sequence = new StripedSequence(7);
        int[] seen = new int[2];
        Thread other = new Thread(() -> {
            seen[0] = sequence.next();
            seen[1] = sequence.next();
        });
        other.start();
        other.join();
        assertThat(seen).containsExactly(7, 8);
    }
}
