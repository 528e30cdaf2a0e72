package io.cato.model;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The memory answer tier: answers by quoting what the conversation (and any facts put into the
 * system prompt) already says, so a full model outage degrades instead of failing. It never
 * invents text: every answer is a sentence it was given, or a plain statement that it cannot answer.
 */
public final class MemoryAnswerer implements ModelClient {
    public static final String MODEL = "memory";
    static final String NOTED = "Noted. I will keep that in mind for this conversation.";
    static final String UNKNOWN = "I can't answer that from memory, and no model is available to answer it right now.";

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\n+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "the", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "what",
            "who", "whom", "which", "when", "where", "why", "how", "my", "your", "our", "i", "you", "me", "we",
            "it", "its", "of", "to", "in", "on", "at", "for", "and", "or", "that", "this", "can", "could",
            "would", "should", "will", "tell", "please", "about", "again", "just", "so", "with", "as", "by");
    private static final Set<String> QUESTION_STARTS = Set.of(
            "what", "who", "whom", "which", "when", "where", "why", "how", "is", "are", "do", "does", "did",
            "can", "could", "would", "should", "will", "tell", "explain", "describe");
    private static final double MIN_OVERLAP = 0.5;

    @Override
    public ModelReply complete(ModelRequest request) {
        String query = request.query();
        String text = isQuestion(query) ? answerFrom(request, query) : NOTED;
        return new ModelReply(text, MODEL, TokenUsage.NONE);
    }

    private String answerFrom(ModelRequest request, String query) {
        Set<String> wanted = contentWords(query);
        if (wanted.isEmpty()) {
            return UNKNOWN;
        }
        Candidate best = null;
        List<ChatMessage> history = request.messages().subList(0, request.messages().size() - 1);
        for (ChatMessage message : history) {
            best = better(best, bestSentence(message.role(), message.content(), wanted));
        }
        if (request.system() != null) {
            best = better(best, bestSentence(ChatMessage.Role.SYSTEM, request.system(), wanted));
        }
        if (best == null || best.score < MIN_OVERLAP) {
            return UNKNOWN;
        }
        return best.role == ChatMessage.Role.USER ? "Earlier you said: \"" + best.sentence + "\"" : best.sentence;
    }

    private static Candidate better(Candidate current, Candidate other) {
        if (other == null) {
            return current;
        }
        // Later sentences win ties: a user who corrects themselves means the correction.
        return current == null || other.score >= current.score ? other : current;
    }

    private static Candidate bestSentence(ChatMessage.Role role, String text, Set<String> wanted) {
        Candidate best = null;
        for (String sentence : SENTENCE_END.split(text.strip())) {
            if (sentence.isBlank() || isQuestion(sentence) || sentence.equals(UNKNOWN) || sentence.equals(NOTED)) {
                continue;
            }
            Set<String> words = contentWords(sentence);
            long shared = wanted.stream().filter(words::contains).count();
            if (shared > 0) {
                best = better(best, new Candidate(role, sentence.strip(), (double) shared / wanted.size()));
            }
        }
        return best;
    }

    static boolean isQuestion(String text) {
        String trimmed = text.strip();
        if (trimmed.endsWith("?")) {
            return true;
        }
        var matcher = WORD.matcher(trimmed.toLowerCase(Locale.ROOT));
        return matcher.find() && QUESTION_STARTS.contains(matcher.group());
    }

    static Set<String> contentWords(String text) {
        var matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        Set<String> words = new HashSet<>();
        while (matcher.find()) {
            String word = matcher.group();
            if (!STOP_WORDS.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }

    private record Candidate(ChatMessage.Role role, String sentence, double score) {
    }
}
