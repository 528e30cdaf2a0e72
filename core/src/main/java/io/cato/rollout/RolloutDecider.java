package io.cato.rollout;

import io.cato.digest.Sha256;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides per request whether Cato or the legacy path serves it. A user (or session) always
 * lands in the same bucket, so raising the percentage only moves users from legacy to Cato,
 * never back and forth.
 */
public final class RolloutDecider {
    private final RolloutFlag flag;

    public RolloutDecider(RolloutFlag flag) {
        this.flag = flag;
    }

    /** @param stickyKey the user or session; without one the request is placed at random */
    public boolean toCato(Optional<String> stickyKey) {
        int percentage = flag.percentage();
        if (percentage >= 100) {
            return true;
        }
        if (percentage <= 0) {
            return false;
        }
        int bucket = stickyKey.map(RolloutDecider::bucket).orElseGet(() -> ThreadLocalRandom.current().nextInt(100));
        return bucket < percentage;
    }

    /** 0..99, uniform over keys; SHA-256 so that similar ids do not cluster. */
    static int bucket(String key) {
        byte[] digest = Sha256.of(key);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(value, 100);
    }
}
