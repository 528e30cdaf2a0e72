package io.cato.routing;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Surface features of the query text that complement the sentence embedding. The embedding captures the topic
 * well but is nearly blind to form, and form is what separates a short factoid question (cheap) from a long task
 * description. Only form-level signals are used so that they transfer from the training benchmarks to chat traffic.
 */
public final class QueryFeatures {

    /** Order matters: it must match the feature names stored in the weights file. */
    public static final List<String> NAMES = List.of("log_chars", "question_marks", "ends_with_question", "starts_with_wh");

    private static final Pattern WH_START = Pattern.compile(
            "^\\s*(what|who|whom|when|where|which|how many|how much|is|are|does|do|did|was|were)\\b");

    private QueryFeatures() {
    }

    public static double[] extract(String query) {
        String text = query == null ? "" : query;
        String lower = text.toLowerCase(Locale.ROOT);
        return new double[] {
            Math.log1p(text.length()),
            // Clipped so that pasted documents full of '?' do not dominate the score.
            Math.min(count(text, '?'), 5),
            text.strip().endsWith("?") ? 1 : 0,
            WH_START.matcher(lower).find() ? 1 : 0
        };
    }

    private static int count(String text, char c) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
