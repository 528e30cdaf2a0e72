package io.cato.cache;

import java.util.Locale;

/**
 * The wording of a question with case, spacing and closing punctuation removed. Inner symbols
 * stay: "C++" and "C", or "Z+" and "Z", are different questions.
 */
final class SurfaceForm {

    private SurfaceForm() {
    }

    static String of(String text) {
        String squeezed = text.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        return squeezed.replaceAll("[?.!]+$", "");
    }

    static boolean same(String a, String b) {
        return of(a).equals(of(b));
    }
}
