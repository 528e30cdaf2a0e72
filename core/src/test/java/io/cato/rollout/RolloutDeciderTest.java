package io.cato.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutDeciderTest {

    private static long toCato(int percentage, int users) {
        RolloutDecider decider = new RolloutDecider(new FixedRolloutFlag(percentage));
        return IntStream.range(0, users).filter(i -> decider.toCato(Optional.of("user-" + i))).count();
    }

    @Test
    void percentageZero_sendsNobodyToCato() {
        assertThat(toCato(0, 1000)).isZero();
    }

    @Test
    void percentageHundred_sendsEverybodyToCato() {
        assertThat(toCato(100, 1000)).isEqualTo(1000);
    }

    @Test
    void percentageThirty_sendsAboutThirtyPercent() {
        assertThat(toCato(30, 10_000)).isBetween(2_800L, 3_200L);
    }

    @Test
    void sameUser_alwaysLandsOnTheSameSide() {
        RolloutDecider decider = new RolloutDecider(new FixedRolloutFlag(50));
        for (int i = 0; i < 200; i++) {
            boolean first = decider.toCato(Optional.of("user-" + i));
            for (int repeat = 0; repeat < 5; repeat++) {
                assertThat(decider.toCato(Optional.of("user-" + i))).isEqualTo(first);
            }
        }
    }

    @Test
    void raisingThePercentage_neverMovesAUserBackToLegacy() {
        RolloutDecider ten = new RolloutDecider(new FixedRolloutFlag(10));
        RolloutDecider fifty = new RolloutDecider(new FixedRolloutFlag(50));
        IntStream.range(0, 2000).mapToObj(i -> Optional.of("u" + i))
                .filter(ten::toCato)
                .forEach(user -> assertThat(fifty.toCato(user)).isTrue());
    }
}
