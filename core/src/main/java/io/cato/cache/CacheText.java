package io.cato.cache;

import io.cato.verifier.SurfaceForm;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The form of a question the cache compares. Besides case, spacing and closing punctuation
 * (which never change a question), a deployment may name qualifiers that add nothing after a
 * proper name in its product: for an assistant about software, "Python programming" and "Python
 * language" mean "Python". They are dropped only right after a capitalised name or a name with a
 * symbol (C++, C#), so "What is programming?" keeps its word.
 */
public final class CacheText {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private final Pattern qualifierAfterName;

    public CacheText(List<String> qualifiers) {
        if (qualifiers.isEmpty()) {
            qualifierAfterName = null;
        } else {
            String alternatives = qualifiers.stream()
                    .map(q -> q.strip().toLowerCase(Locale.ROOT))
                    .filter(q -> !q.isEmpty())
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .map(q -> Pattern.quote(q).replace(" ", "\\E\\s+\\Q"))
                    .reduce((a, b) -> a + "|" + b)
                    .orElseThrow();
            qualifierAfterName = Pattern.compile(
                    "(\\b\\p{Lu}[\\p{L}\\p{N}]*(?:[+#]+)?|\\b\\p{L}[\\p{L}\\p{N}]*[+#]+)\\s+(?i:" + alternatives + ")(?=\\W|$)");
        }
    }

    /** The question with the configured qualifiers after names removed. */
    public String reduce(String question) {
        String text = WHITESPACE.matcher(question.strip()).replaceAll(" ");
        if (qualifierAfterName == null) {
            return text;
        }
        Matcher m = qualifierAfterName.matcher(text);
        return m.replaceAll(result -> Matcher.quoteReplacement(result.group(1)));
    }

    /** The exact-tier form: reduced, then case, spacing and closing punctuation removed. */
    public String exactForm(String question) {
        return SurfaceForm.of(reduce(question));
    }
}
