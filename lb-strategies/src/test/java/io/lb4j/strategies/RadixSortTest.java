package io.lb4j.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RadixSortTest {

    @Test
    void sortsAsArraysSortDoesWhateverTheValues() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n : new int[] {0, 1, 2, 100, RadixSort.MIN_LENGTH - 1, RadixSort.MIN_LENGTH, 50_000, 300_001}) {
            for (int kind = 0; kind < 5; kind++) {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = switch (kind) {
                        case 0 -> random.nextLong(); // negative and positive
                        case 1 -> random.nextLong(1_000); // many repeats, high digits all 0
                        case 2 -> -random.nextLong(1 << 20); // negative only
                        case 3 -> random.nextLong() >>> 24 << 24 | random.nextInt(1 << 24); // ring points: hash and slot
                        default -> i % 3 == 0 ? Long.MIN_VALUE : i % 3 == 1 ? Long.MAX_VALUE : 0; // the extremes
                    };
                }
                long[] expected = a.clone();
                Arrays.sort(expected);
                RadixSort.sort(a);
                assertThat(a).as("n=%d, kind %d", n, kind).isEqualTo(expected);
            }
        }
    }
}
