package io.cato.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.embedding.EncodedQuery;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Learns {@link TokenWeights} from the encoded training questions and the model's vocabulary. */
final class TokenWeightsFitter {

    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

    private TokenWeightsFitter() {
    }

    static TokenWeights fit(Collection<EncodedQuery> questions) throws IOException {
        JsonNode vocab = readVocabulary();
        int size = 0;
        for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); ) {
            size = Math.max(size, it.next().asInt() + 1);
        }
        int[] df = new int[size];
        for (EncodedQuery q : questions) {
            Set<Integer> seen = new HashSet<>();
            for (int t = 0; t < q.tokenCount(); t++) {
                if (seen.add(q.tokenId(t)) && q.tokenId(t) < size) {
                    df[q.tokenId(t)]++;
                }
            }
        }
        float[] idf = new float[size];
        for (int i = 0; i < size; i++) {
            idf[i] = (float) Math.log((questions.size() + 1.0) / (df[i] + 1.0));
        }
        return new TokenWeights(idf, ignoredPieces(vocab, size));
    }

    private static boolean[] ignoredPieces(JsonNode vocab, int size) {
        boolean[] ignored = new boolean[size];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String piece = e.getKey();
            boolean special = piece.startsWith("[") && piece.endsWith("]");
            boolean punctuation = piece.codePoints().noneMatch(Character::isLetterOrDigit);
            ignored[e.getValue().asInt()] = special || punctuation;
        }
        return ignored;
    }

    private static JsonNode readVocabulary() throws IOException {
        try (InputStream in = TokenWeightsFitter.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + TOKENIZER_RESOURCE);
            }
            return new ObjectMapper().readTree(in).path("model").path("vocab");
        }
    }
}
