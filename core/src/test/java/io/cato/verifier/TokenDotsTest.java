package io.cato.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.embedding.EncodedQuery;
import io.cato.embedding.MiniLmTokenEncoder;
import org.junit.jupiter.api.Test;

class TokenDotsTest {

    @Test
    void everySimilarity_inBothDirections_isBitForBitTheTokenSimilarity() {
        try (MiniLmTokenEncoder encoder = MiniLmTokenEncoder.load(1)) {
            EncodedQuery a = encoder.encode("How do I renew a passport that expired in 2019?");
            EncodedQuery b = encoder.encode("What's the process for renewing an expired passport?");
            TokenDots dots = TokenDots.of(a, b);

            for (int i = 0; i < a.tokenCount(); i++) {
                for (int j = 0; j < b.tokenCount(); j++) {
                    assertThat(dots.similarity(a, i, b, j)).isEqualTo(a.tokenSimilarity(i, b, j));
                    assertThat(dots.similarity(b, j, a, i)).isEqualTo(b.tokenSimilarity(j, a, i));
                }
            }
            EncodedQuery other = encoder.encode("Something else entirely");
            assertThatThrownBy(() -> dots.similarity(other, 0, b, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
