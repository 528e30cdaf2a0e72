package io.cato.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.cache.CacheEligibility.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CacheEligibilityTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "What is Python?", "What is Python programming?", "How do I reverse a list in Python?",
        "Explain the implications of quantum computing on cryptography",
        "How long does it take to boil an egg?", "Is it safe to eat raw cookie dough?",
        "What is the capital of France?", "How can I improve my English?", "Who wrote Hamlet?"})
    void standaloneQuestionsMayBeSharedWhateverTheConversation(String query) {
        assertThat(CacheEligibility.whyNotShared(query, false)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "What is Python?", "How do I reverse a list in Python?", "Who wrote Hamlet?",
        "Explain the implications of quantum computing on cryptography"})
    void questionsThatNameTheirSubjectStandAloneEvenAfterEarlierTurns(String query) {
        assertThat(CacheEligibility.whyNotShared(query, true)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "and in Python?|FOLLOW_UP",
        "And what about Java?|FOLLOW_UP",
        "what about the second one|FOLLOW_UP",
        "How does it work?|FOLLOW_UP",
        "Why is that?|FOLLOW_UP",
        "Can you compare them?|FOLLOW_UP",
        "in Python?|FOLLOW_UP",
        "why?|FOLLOW_UP",
        "shorter please|FOLLOW_UP",
        "What did I just say?|REFERS_TO_CONVERSATION",
        "what did you tell me earlier|REFERS_TO_CONVERSATION",
        "Repeat your last answer|REFERS_TO_CONVERSATION",
        "Summarize our conversation|REFERS_TO_CONVERSATION",
        "tell me more|REFERS_TO_CONVERSATION",
        "What is my name?|PERSONAL",
        "Where do I live?|PERSONAL",
        "When is my birthday?|PERSONAL",
        "What's the weather today?|TIME_SENSITIVE",
        "What is the latest iPhone?|TIME_SENSITIVE",
        "Who is the current president of France?|TIME_SENSITIVE"})
    void contextDependentQueriesAreNeverShared(String query, Reason expected) {
        assertThat(CacheEligibility.whyNotShared(query, true)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"What did I just say?", "What is my name?", "What's the weather today?",
        "Repeat that again"})
    void someQueriesAreNeverSharedEvenAtTheStartOfAConversation(String query) {
        assertThat(CacheEligibility.whyNotShared(query, false)).isPresent();
    }
}
