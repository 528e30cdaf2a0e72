package io.cato.memory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline fact extractor: keeps the answer's own declarative sentences, word for word. It
 * understands nothing; it only refuses what is plainly not a statement of fact (questions,
 * hedges, talk about the conversation, sentences too short or too long), so what it keeps is
 * at most as true as the answer was. Used when no model is configured for extraction.
 */
public final class ExtractiveFactExtractor implements FactExtractor {
    /** Confidence of an extracted sentence: the answer's word, unchecked. */
    static final double CONFIDENCE = 0.5;
    private static final int MIN_WORDS = 4;
    private static final int MAX_WORDS = 60;
    private static final int MAX_FACTS = 5;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!])\\s+|\\n+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> NOT_FACTUAL_STARTS = Set.of(
            "i", "i'm", "i've", "you", "you're", "we", "let", "let's", "please", "sorry", "sure", "yes", "no", "ok",
            "okay", "maybe", "perhaps", "hello", "hi", "thanks", "thank", "noted", "earlier", "here", "note");
    private static final Set<String> HEDGES = Set.of("might", "maybe", "perhaps", "probably", "possibly", "guess");

    @Override
    public List<CandidateFact> extract(String query, String answer, String domain) {
        Set<String> kept = new LinkedHashSet<>();
        for (String raw : SENTENCE_END.split(answer.strip())) {
            String sentence = raw.strip().replaceAll("^[-*•\\d.)\\s]+", "");
            if (isStatement(sentence)) {
                kept.add(sentence.endsWith(".") || sentence.endsWith("!") ? sentence : sentence + ".");
            }
            if (kept.size() == MAX_FACTS) {
                break;
            }
        }
        List<CandidateFact> facts = new ArrayList<>();
        kept.forEach(s -> facts.add(new CandidateFact(s, CONFIDENCE)));
        return facts;
    }

    static boolean isStatement(String sentence) {
        if (sentence.isEmpty() || sentence.endsWith("?") || sentence.endsWith(":") || sentence.contains("```")) {
            return false;
        }
        List<String> words = WORD.matcher(sentence.toLowerCase(Locale.ROOT)).results().map(m -> m.group()).toList();
        if (words.size() < MIN_WORDS || words.size() > MAX_WORDS) {
            return false;
        }
        String first = sentence.toLowerCase(Locale.ROOT).split("\\s+")[0].replaceAll("[^\\p{L}']", "");
        return !NOT_FACTUAL_STARTS.contains(first) && words.stream().noneMatch(HEDGES::contains)
                && Character.isUpperCase(sentence.codePointAt(0));
    }
}
