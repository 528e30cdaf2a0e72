package io.cato.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.embedding.EncodedQuery;
import io.cato.embedding.MiniLmTokenEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DuplicateVerifierTest {

    private static MiniLmTokenEncoder encoder;
    private static DuplicateVerifier verifier;

    @BeforeAll
    static void loadModels() {
        encoder = MiniLmTokenEncoder.load(1);
        verifier = DuplicateVerifier.loadDefault();
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    private static boolean same(String stored, String query) {
        return verifier.sameQuestion(encoder.encode(stored), encoder.encode(query));
    }

    private static double score(String stored, String query) {
        return verifier.score(encoder.encode(stored), encoder.encode(query));
    }

    @Test
    void shippedWeights_loadWithAThresholdInsideTheScoreRange() {
        assertThat(verifier.threshold()).isStrictlyBetween(0.0, 1.0);
        assertThat(verifier.featureNames()).contains(PairFeatures.HEAD_FEATURE, "pooled_cosine");
    }

    @Test
    void differentSubjectInTheSameFrame_isRejected() {
        assertThat(same("What is Python?", "What is Java?")).isFalse();
    }

    @Test
    void differentNumber_isRejected() {
        assertThat(same("What is the capital of France in 1800?", "What is the capital of France in 1900?"))
                .isFalse();
    }

    @Test
    void differentQuestionWord_isRejected() {
        assertThat(same("Why do cats purr?", "When do cats purr?")).isFalse();
    }

    @Test
    void singularAndPluralOfTheSameQuestion_isAccepted() {
        assertThat(same("What are the best ways to learn French?", "What is the best way to learn French?"))
                .isTrue();
    }

    @Test
    void rephrasedQuestion_isAccepted() {
        assertThat(same("How can I make money online?", "What are some ways to earn money online?")).isTrue();
    }

    @Test
    void sameWordingInOtherCaseAndSpacing_isAccepted() {
        assertThat(same("What is Python?", "what is python ?")).isTrue();
    }

    @Test
    void identicalQuestion_scoresAboveThreshold() {
        assertThat(score("How do I learn to play the guitar?", "How do I learn to play the guitar?"))
                .isGreaterThanOrEqualTo(verifier.threshold());
    }

    @Test
    void sameInputs_scoreIdenticallyEveryTime() {
        EncodedQuery stored = encoder.encode("What are the best books on machine learning?");
        EncodedQuery query = encoder.encode("Which books should I read to learn machine learning?");
        double first = verifier.score(stored, query);
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.score(stored, query)).isEqualTo(first);
        }
        assertThat(verifier.score(encoder.encode(stored.text()), encoder.encode(query.text()))).isEqualTo(first);
    }

    @Test
    void unrelatedQuestions_scoreLowerThanParaphrases() {
        assertThat(score("How do I bake bread?", "What is the tallest mountain on Earth?"))
                .isLessThan(score("How do I bake bread?", "What is the way to bake bread at home?"));
    }
}
