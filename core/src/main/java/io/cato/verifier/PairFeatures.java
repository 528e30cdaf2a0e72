package io.cato.verifier;

import io.cato.embedding.EncodedQuery;
import java.util.List;

/** The full feature vector the verifier's trees score for one (stored, new) question pair. */
final class PairFeatures {

    static final String HEAD_FEATURE = "interaction_head_logit";

    private final AlignmentFeatures alignment;
    private final LexicalFeatures lexical;
    private final InteractionVector interaction;
    private final InteractionHead head;

    /** {@code head} may be null while the head itself is being trained. */
    PairFeatures(TokenWeights weights, InteractionHead head) {
        alignment = new AlignmentFeatures(weights);
        lexical = new LexicalFeatures(weights);
        interaction = new InteractionVector(weights);
        this.head = head;
    }

    double[] compute(EncodedQuery stored, EncodedQuery query) {
        return collect(stored, query).values();
    }

    List<String> names(EncodedQuery stored, EncodedQuery query) {
        return collect(stored, query).names();
    }

    float[] interaction(EncodedQuery stored, EncodedQuery query) {
        return interaction.compute(stored, query);
    }

    private FeatureVector collect(EncodedQuery stored, EncodedQuery query) {
        FeatureVector out = new FeatureVector();
        TokenDots dots = TokenDots.of(stored, query);
        alignment.addTo(out, stored, query, dots);
        lexical.addTo(out, stored, new ParsedText(stored.text()), query, new ParsedText(query.text()));
        if (head != null) {
            out.add(HEAD_FEATURE, head.logOdds(interaction.compute(stored, query, dots)));
        }
        return out;
    }
}
