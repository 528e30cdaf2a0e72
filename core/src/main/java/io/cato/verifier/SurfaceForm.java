package io.cato.verifier;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The wording of a question with case, spacing and closing punctuation removed. Inner symbols
 * stay: "C++" and "C", or "Z+" and "Z", are different questions.
 */
public final class SurfaceForm {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern END_PUNCTUATION = Pattern.compile("[?.!]+$");

    private SurfaceForm() {
    }

    public static String of(String text) {
        String squeezed = WHITESPACE.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
        return END_PUNCTUATION.matcher(squeezed).replaceAll("");
    }

    static boolean same(String a, String b) {
        return of(a).equals(of(b));
    }
}
