package io.cato.verifier;

import java.util.List;
import java.util.Set;

/** Plain string similarity measures used by the lexical features. */
final class TextSimilarity {

    private TextSimilarity() {
    }

    static <T> double jaccard(Set<T> a, Set<T> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int shared = intersection(a, b);
        return shared / (double) (a.size() + b.size() - shared);
    }

    static <T> int intersection(Set<T> a, Set<T> b) {
        int shared = 0;
        for (T x : a) {
            shared += b.contains(x) ? 1 : 0;
        }
        return shared;
    }

    static <T> int onlyIn(Set<T> a, Set<T> b) {
        return a.size() - intersection(a, b);
    }

    /** 1 - edit distance / longer length, over any sequence (characters or words). */
    static <T> double editSimilarity(List<T> a, List<T> b) {
        int n = a.size();
        int m = b.size();
        if (n == 0 && m == 0) {
            return 1;
        }
        int[] prev = new int[m + 1];
        int[] cur = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            cur[0] = i;
            for (int j = 1; j <= m; j++) {
                int cost = a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return 1 - prev[m] / (double) Math.max(n, m);
    }

    static List<Character> chars(String s) {
        return s.chars().mapToObj(c -> (char) c).toList();
    }

    /** Length of the longest common run of characters, relative to the shorter string. */
    static double longestCommonSubstring(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        int best = 0;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = a.charAt(i - 1) == b.charAt(j - 1) ? prev[j - 1] + 1 : 0;
                best = Math.max(best, cur[j]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return best / (double) Math.min(a.length(), b.length());
    }
}
