package io.cato.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmTokenEncoderTest {

    private static MiniLmTokenEncoder encoder;

    @BeforeAll
    static void loadModel() {
        encoder = MiniLmTokenEncoder.load(1);
    }

    @AfterAll
    static void closeModel() {
        encoder.close();
    }

    @Test
    void question_yieldsOneVectorPerWordPieceIncludingClsAndSep() {
        EncodedQuery q = encoder.encode("What is Python?");
        assertThat(q.tokenCount()).isEqualTo(6);
        assertThat(q.tokenId(0)).isEqualTo(101);
        assertThat(q.tokenId(q.tokenCount() - 1)).isEqualTo(102);
    }

    @Test
    void tokenVectors_areUnitLengthAfterQuantisation() {
        EncodedQuery q = encoder.encode("How do I learn Java?");
        for (int t = 0; t < q.tokenCount(); t++) {
            assertThat(q.tokenSimilarity(t, q, t)).isCloseTo(1.0f, within(0.02f));
        }
    }

    @Test
    void pooledVector_isNormalisedAndCloserForParaphrases() {
        float[] a = encoder.encode("How do I lose weight?").pooled();
        float[] b = encoder.encode("What is the best way to lose weight?").pooled();
        float[] c = encoder.encode("What is the capital of Peru?").pooled();
        assertThat(VectorMath.cosine(a, a)).isCloseTo(1.0, within(1e-5));
        assertThat(VectorMath.cosine(a, b)).isGreaterThan(VectorMath.cosine(a, c));
    }

    @Test
    void pooledVector_matchesTheLangchain4jEmbeddingOfTheSameModel() {
        var reference = new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel();
        String text = "What is the best way to learn a new language as an adult?";
        float[] expected = reference.embed(text).content().vector();
        assertThat(VectorMath.cosine(encoder.encode(text).pooled(), expected)).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void encoding_survivesARoundTripThroughItsStoredForm() throws IOException {
        EncodedQuery q = encoder.encode("Which is better, Kotlin or Scala?");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            q.writeTo(out);
        }
        assertThat(bytes.size()).isEqualTo(q.serializedSize());
        EncodedQuery back = EncodedQuery.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(back).isEqualTo(q);
    }
}
