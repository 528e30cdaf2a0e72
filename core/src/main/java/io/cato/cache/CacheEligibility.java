package io.cato.cache;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides whether a query stands on its own, so that its answer may be shared with other
 * conversations. A query that leans on the conversation ("and in Python?", "what did I just say?"),
 * on facts about the user ("what is my name?") or on the current time ("weather today") is never
 * looked up in, nor stored into, the shared cache.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>It refers to the conversation itself (what I/you said or asked, earlier, above, again): never shared.</li>
 *   <li>It asks for a fact about the user ("what is my ...", "where do I live"): never shared.</li>
 *   <li>It depends on the present moment (today, now, latest, current, weather, news): never shared.</li>
 *   <li>When the conversation has earlier turns, a query that continues it is not shared: it opens
 *       with a connective ("and ...", "what about ..."), is a short fragment without a question
 *       of its own ("in Python?", "why?"), or points back with a pronoun (it, that, they, ...).
 *       Without earlier turns there is nothing to point back to, so such a query stands alone.</li>
 * </ol>
 * The rules err towards "not shared": a wrongly refused query costs one model call, a wrongly
 * shared one serves somebody else's answer.
 */
public final class CacheEligibility {

    /** Why a query is kept out of the shared cache; the code appears in responses and metrics. */
    public enum Reason {
        REFERS_TO_CONVERSATION("refers_to_conversation"),
        PERSONAL("personal"),
        TIME_SENSITIVE("time_sensitive"),
        FOLLOW_UP("follow_up");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}+#' ]");
    private static final Pattern SPACES = Pattern.compile(" +");
    private static final Pattern CONVERSATION = Pattern.compile(
            "\\b(what|which)\\b.*\\b(i|you|we)\\b\\s+(just\\s+)?(said|asked|told|mentioned|wrote|talked about|discussed)\\b"
            + "|\\bwhat (did|do|have) (i|you|we) (just )?(say|ask|tell|mention|write|talk about|discuss)\\b"
            + "|\\b(i|you|we) (just )?(said|told me|mentioned|wrote|talked about|discussed)\\b"
            + "|\\b(earlier|previously|above|so far|(your|my|the) (last|previous) (question|answer|message|reply|response))\\b"
            + "|\\b(repeat|rephrase|reword)\\b|\\b(say|explain|tell me|do) (that|it|this) again\\b|^again\\b"
            + "|^(continue|go on|keep going|tell me more|more detail|elaborate|expand on)\\b"
            + "|\\bsummari[sz]e (this|that|our|the conversation)|\\b(this|our) (conversation|chat|discussion)\\b");
    private static final Pattern PERSONAL = Pattern.compile(
            "^(what|who|where|when|which|how old)('s|\\s+is|\\s+are|\\s+was|\\s+were|\\s+am)\\s+(my|i)\\b"
            + "|^where (do|did) i (live|work|park|put|leave|stay)\\b"
            + "|\\b(remember|recall) (my|me|what i|that i)\\b|\\bdo you know (my|me|who i am|where i)\\b"
            + "|\\bmy (name|age|birthday|address|email|phone number)\\b");
    private static final Pattern TIME = Pattern.compile(
            "\\b(today|tonight|tomorrow|yesterday|right now|now|currently|current|latest|this (week|month|year|morning|evening)|these days"
            + "|weather|forecast|news|headlines|stock price|score of|live score|trending)\\b");
    private static final Pattern CONNECTIVE = Pattern.compile(
            "^(and|but|or|so|also|then|plus|ok(ay)?|what about|how about|same (for|with|in)|and what|and how|and why|why not|instead)\\b");
    private static final Pattern ANAPHORA = Pattern.compile(
            "\\b(it|its|it's|that|this|these|those|they|them|their|theirs|he|him|his|she|her|hers|the same|the former|the latter|the other one|another one|one more|the first one|the second one|the last one|such)\\b");
    private static final Pattern QUESTION_WORD = Pattern.compile(
            "\\b(what|who|whom|whose|where|when|why|how|which|is|are|was|were|do|does|did|can|could|should|would|will|define|explain|describe|list|compare|calculate|translate|write|give|tell)\\b");

    private CacheEligibility() {
    }

    /**
     * Empty when the query may be shared; otherwise why not.
     *
     * @param conversationHasTurns whether the query is asked after earlier turns of its conversation
     */
    public static Optional<Reason> whyNotShared(String query, boolean conversationHasTurns) {
        String q = WHITESPACE.matcher(query.toLowerCase(Locale.ROOT).replace('’', '\'')).replaceAll(" ").strip();
        if (CONVERSATION.matcher(q).find()) {
            return Optional.of(Reason.REFERS_TO_CONVERSATION);
        }
        if (PERSONAL.matcher(q).find()) {
            return Optional.of(Reason.PERSONAL);
        }
        if (TIME.matcher(q).find()) {
            return Optional.of(Reason.TIME_SENSITIVE);
        }
        if (conversationHasTurns && continuesConversation(q)) {
            return Optional.of(Reason.FOLLOW_UP);
        }
        return Optional.empty();
    }

    private static boolean continuesConversation(String q) {
        if (CONNECTIVE.matcher(q).find() || ANAPHORA.matcher(q).find()) {
            return true;
        }
        String words = NOT_WORD.matcher(q).replaceAll(" ").strip();
        int count = words.isEmpty() ? 0 : SPACES.split(words).length;
        return count <= 3 && !(count >= 2 && QUESTION_WORD.matcher(words).find());
    }
}
