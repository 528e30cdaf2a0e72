package io.cato.model;

/**
 * Estimates tokens without a tokenizer: about four characters a token for English text, plus
 * the per-message overhead chat formats add. Budgets are set with this same estimate, so its
 * bias cancels out; it errs on the high side for code and non-Latin scripts, which is the safe side.
 */
public final class TokenEstimator {
    private static final int MESSAGE_OVERHEAD = 4;

    private TokenEstimator() {
    }

    public static int estimate(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int nonAscii = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 127) {
                nonAscii++;
            }
        }
        return (text.length() - nonAscii + 3) / 4 + nonAscii;
    }

    public static int estimateMessage(String text) {
        return estimate(text) + MESSAGE_OVERHEAD;
    }
}
