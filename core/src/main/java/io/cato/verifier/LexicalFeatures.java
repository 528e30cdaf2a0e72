package io.cato.verifier;

import io.cato.embedding.EncodedQuery;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Surface comparisons of the two questions: shared words weighted by rarity, and the specific
 * mismatches (numbers, names, negation, question word) that turn a paraphrase into a different
 * question.
 */
final class LexicalFeatures {

    private final TokenWeights weights;

    LexicalFeatures(TokenWeights weights) {
        this.weights = weights;
    }

    void addTo(FeatureVector out, EncodedQuery qa, ParsedText a, EncodedQuery qb, ParsedText b) {
        addOverlap(out, a, b);
        addPieceOverlap(out, qa, qb);
        addMismatches(out, a, b);
        addShape(out, a, b);
    }

    private static void addOverlap(FeatureVector out, ParsedText a, ParsedText b) {
        out.add("word_jaccard", TextSimilarity.jaccard(a.wordSet, b.wordSet));
        out.add("content_jaccard", TextSimilarity.jaccard(a.contentWords, b.contentWords));
        out.addBoth("content_only_in", TextSimilarity.onlyIn(a.contentWords, b.contentWords),
                TextSimilarity.onlyIn(b.contentWords, a.contentWords));
        out.add("char3_jaccard", TextSimilarity.jaccard(a.charGrams(3), b.charGrams(3)));
        out.add("char5_jaccard", TextSimilarity.jaccard(a.charGrams(5), b.charGrams(5)));
        out.add("char_edit_similarity", TextSimilarity.editSimilarity(
                TextSimilarity.chars(a.lower), TextSimilarity.chars(b.lower)));
        out.add("word_edit_similarity", TextSimilarity.editSimilarity(a.words, b.words));
        out.add("sorted_word_edit_similarity", TextSimilarity.editSimilarity(
                a.words.stream().sorted().toList(), b.words.stream().sorted().toList()));
        out.add("longest_common_substring", TextSimilarity.longestCommonSubstring(a.lower, b.lower));
    }

    private void addPieceOverlap(FeatureVector out, EncodedQuery a, EncodedQuery b) {
        Set<Integer> pa = pieces(a);
        Set<Integer> pb = pieces(b);
        double shared = 0;
        double onlyA = 0;
        double onlyB = 0;
        double maxOnlyA = 0;
        double maxOnlyB = 0;
        for (int id : pa) {
            double w = weights.idf(id);
            if (pb.contains(id)) {
                shared += w;
            } else {
                onlyA += w;
                maxOnlyA = Math.max(maxOnlyA, w);
            }
        }
        for (int id : pb) {
            if (!pa.contains(id)) {
                onlyB += weights.idf(id);
                maxOnlyB = Math.max(maxOnlyB, weights.idf(id));
            }
        }
        out.add("piece_idf_jaccard", shared / Math.max(shared + onlyA + onlyB, 1e-9));
        out.addBoth("piece_idf_only_in", onlyA, onlyB);
        out.addBoth("piece_max_idf_only_in", maxOnlyA, maxOnlyB);
    }

    private Set<Integer> pieces(EncodedQuery q) {
        Set<Integer> ids = new HashSet<>();
        for (int t = 0; t < q.tokenCount(); t++) {
            if (!weights.ignored(q.tokenId(t))) {
                ids.add(q.tokenId(t));
            }
        }
        return ids;
    }

    private static void addMismatches(FeatureVector out, ParsedText a, ParsedText b) {
        addSetMismatch(out, "numbers", a.numbers, b.numbers);
        addSetMismatch(out, "capitalised", a.capitalised, b.capitalised);
        out.add("negation_differs", (a.negations > 0) != (b.negations > 0) ? 1 : 0);
        out.add("negation_count_diff", Math.abs(a.negations - b.negations));
        out.add("first_question_word_same", a.firstQuestionWord == b.firstQuestionWord ? 1 : 0);
        out.add("first_question_word_a", a.firstQuestionWord);
        out.add("first_question_word_b", b.firstQuestionWord);
        out.add("question_words_jaccard", TextSimilarity.jaccard(a.questionWords, b.questionWords));
        for (String w : List.of("what", "why", "how", "which", "who", "where", "when")) {
            out.add("has_" + w + "_differs", a.questionWords.contains(w) != b.questionWords.contains(w) ? 1 : 0);
        }
    }

    private static void addSetMismatch(FeatureVector out, String name, Set<String> a, Set<String> b) {
        out.add(name + "_any", a.isEmpty() && b.isEmpty() ? 0 : a.isEmpty() || b.isEmpty() ? 1 : 2);
        out.add(name + "_mismatch", TextSimilarity.onlyIn(a, b) + TextSimilarity.onlyIn(b, a));
        out.add(name + "_jaccard", TextSimilarity.jaccard(a, b));
    }

    private static void addShape(FeatureVector out, ParsedText a, ParsedText b) {
        int la = a.words.size();
        int lb = b.words.size();
        out.add("words_min", Math.min(la, lb));
        out.add("words_max", Math.max(la, lb));
        out.add("words_ratio", Math.min(la, lb) / (double) Math.max(1, Math.max(la, lb)));
        out.add("chars_ratio", Math.min(a.lower.length(), b.lower.length())
                / (double) Math.max(1, Math.max(a.lower.length(), b.lower.length())));
        out.add("first_word_same", !a.words.isEmpty() && !b.words.isEmpty()
                && a.words.getFirst().equals(b.words.getFirst()) ? 1 : 0);
        out.add("last_word_same", !a.words.isEmpty() && !b.words.isEmpty()
                && a.words.getLast().equals(b.words.getLast()) ? 1 : 0);
        out.add("first_two_same", la >= 2 && lb >= 2 && a.words.subList(0, 2).equals(b.words.subList(0, 2)) ? 1 : 0);
    }
}
