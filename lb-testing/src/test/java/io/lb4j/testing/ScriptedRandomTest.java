package io.lb4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScriptedRandomTest {

    @Test
    void answersFromTheScriptFirstThenFromTheSeededFallback() {
        ScriptedRandom r = new ScriptedRandom(7).nextInts(5, -1).nextLongs(9L).nextDoubles(0.25);
        assertThat(r.remaining()).isEqualTo(4);
        assertThat(r.nextInt()).isEqualTo(5);
        assertThat(r.nextInt(4)).as("taken modulo the bound, never negative").isEqualTo(3);
        assertThat(r.nextLong()).isEqualTo(9L);
        assertThat(r.nextDouble()).isEqualTo(0.25);
        assertThat(r.remaining()).isZero();

        SplittableRandom same = new SplittableRandom(7);
        assertThat(r.nextInt()).isEqualTo(same.nextInt());
        assertThat(r.nextLong()).isEqualTo(same.nextLong());
        assertThat(r.nextDouble()).isEqualTo(same.nextDouble());
    }

    @Test
    void twoSourcesWithTheSameSeedAgree() {
        ScriptedRandom a = new ScriptedRandom(3);
        ScriptedRandom b = new ScriptedRandom(3);
        for (int i = 0; i < 20; i++) {
            assertThat(a.nextInt(100)).isEqualTo(b.nextInt(100));
        }
    }

    @Test
    void strictSourceFailsOnADrawItWasNotScriptedFor() {
        ScriptedRandom r = ScriptedRandom.strict().nextDoubles(0.5);
        assertThat(r.nextDouble()).isEqualTo(0.5);
        assertThatThrownBy(r::nextDouble).isInstanceOf(IllegalStateException.class)
                .hasMessage("strict ScriptedRandom: no scripted nextDouble left");
        assertThatThrownBy(r::nextInt).hasMessage("strict ScriptedRandom: no scripted nextInt left");
        assertThatThrownBy(r::nextLong).hasMessage("strict ScriptedRandom: no scripted nextLong left");
    }

    @Test
    void zerosAnswersEveryUnscriptedDrawWithZero() {
        ScriptedRandom r = ScriptedRandom.zeros().nextInts(3).nextDoubles(0.5);
        assertThat(r.nextInt(10)).isEqualTo(3);
        assertThat(r.nextInt(10)).isZero();
        assertThat(r.nextInt()).isZero();
        assertThat(r.nextLong()).isZero();
        assertThat(r.nextDouble()).isEqualTo(0.5);
        assertThat(r.nextDouble()).isZero();
        assertThat(r.nextInt(5, 9)).as("derived draws start from the low end").isEqualTo(5);
    }

    @Test
    void rejectsABoundThatIsNotPositive() {
        assertThatThrownBy(() -> new ScriptedRandom().nextInts(1).nextInt(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bound: 0 (expected: > 0)");
    }
}
