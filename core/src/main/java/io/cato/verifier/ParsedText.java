package io.cato.verifier;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Surface signals of one question that embeddings tend to smooth over. */
final class ParsedText {

    static final List<String> QUESTION_WORDS = List.of("what", "why", "how", "which", "who", "where", "when",
            "is", "are", "can", "do", "does", "did", "should", "will", "would", "could", "was", "were", "has", "have");
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "of", "to", "in", "on", "for", "and",
            "or", "is", "are", "be", "i", "my", "me", "you", "your", "it", "its", "do", "does", "what", "how", "why",
            "which", "who", "can", "that", "this", "with", "as", "at", "by", "from", "there", "some", "any", "s",
            "should", "will", "would", "we", "get", "if", "best", "way", "ways", "good", "was", "were", "did", "have",
            "has", "about", "into", "when", "where", "their", "they", "he", "she", "his", "her", "am");
    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "none", "nobody", "nothing",
            "without", "cannot", "nor", "neither", "t");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern CAPITALISED = Pattern.compile("(?<=\\s)\\p{Lu}[\\p{L}\\p{N}]*");

    final String lower;
    final List<String> words = new ArrayList<>();
    final Set<String> wordSet = new HashSet<>();
    final Set<String> contentWords = new HashSet<>();
    final Set<String> numbers = new HashSet<>();
    final Set<String> capitalised = new HashSet<>();
    final Set<String> questionWords = new HashSet<>();
    final int negations;
    final int firstQuestionWord;

    ParsedText(String text) {
        lower = text.toLowerCase(Locale.ROOT).strip();
        Matcher m = WORD.matcher(lower);
        int neg = 0;
        while (m.find()) {
            String w = m.group();
            words.add(w);
            neg += NEGATIONS.contains(w) ? 1 : 0;
            if (QUESTION_WORDS.contains(w)) {
                questionWords.add(w);
            }
        }
        wordSet.addAll(words);
        for (String w : wordSet) {
            if (!STOP_WORDS.contains(w)) {
                contentWords.add(w);
            }
        }
        collect(NUMBER.matcher(text), numbers, false);
        collect(CAPITALISED.matcher(text), capitalised, true);
        negations = neg;
        firstQuestionWord = firstQuestionWord(words);
    }

    private static void collect(Matcher m, Set<String> into, boolean lowerCase) {
        while (m.find()) {
            into.add(lowerCase ? m.group().toLowerCase(Locale.ROOT) : m.group().replace(",", ""));
        }
    }

    /** Index into {@link #QUESTION_WORDS} of the first question word, or -1; "what" vs "why" changes the answer. */
    private static int firstQuestionWord(List<String> words) {
        for (int i = 0; i < Math.min(words.size(), 6); i++) {
            int k = QUESTION_WORDS.indexOf(words.get(i));
            if (k >= 0) {
                return k;
            }
        }
        return -1;
    }

    Set<String> charGrams(int n) {
        Set<String> grams = new HashSet<>();
        String s = " " + String.join(" ", words) + " ";
        for (int i = 0; i + n <= s.length(); i++) {
            grams.add(s.substring(i, i + n));
        }
        return grams;
    }
}
