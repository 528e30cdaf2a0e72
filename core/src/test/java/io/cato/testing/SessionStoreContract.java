package io.cato.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.model.ChatMessage;
import io.cato.model.ToolCall;
import io.cato.session.SessionStore;
import io.cato.session.Turn;
import io.cato.session.TurnDraft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every {@link SessionStore} must do; each adapter's test extends this. */
public abstract class SessionStoreContract {

    protected abstract SessionStore store();

    private static TurnDraft draft(String query) {
        // Now, not a fixed date: DynamoDB Local deletes items whose TTL has passed.
        return new TurnDraft(query, "answer to " + query, "m", Instant.now());
    }

    @Test
    void aToolExchange_isKeptWithItsTurn_callsAndResultsIncluded() {
        List<ChatMessage> exchange = List.of(ChatMessage.user("Weather in Paris?"),
                ChatMessage.assistant("", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
                ChatMessage.toolResult("call_1", "station offline", true),
                ChatMessage.assistant("I could not reach the station."));
        SessionStore store = store();
        store.append("t#tools", new TurnDraft("Weather in Paris?", "I could not reach the station.", "m", Instant.now(),
                "general", exchange));
        store.append("t#tools", draft("plain"));

        List<Turn> turns = store.latest("t#tools", 10);
        assertThat(turns.getFirst().exchange()).isEqualTo(exchange);
        assertThat(turns.getLast().exchange()).isEmpty();
    }

    @Test
    void latest_ofUnknownSession_isEmpty() {
        assertThat(store().latest("t#nobody", 10)).isEmpty();
    }

    @Test
    void append_thenLatest_returnsTurnsOldestFirstWithSequenceNumbers() {
        SessionStore store = store();
        store.append("t#s1", draft("one"));
        store.append("t#s1", draft("two"));
        store.append("t#s1", draft("three"));

        assertThat(store.latest("t#s1", 10)).extracting(Turn::seq, Turn::query)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "one"),
                        org.assertj.core.groups.Tuple.tuple(2L, "two"),
                        org.assertj.core.groups.Tuple.tuple(3L, "three"));
        assertThat(store.latest("t#s1", 2)).extracting(Turn::query).containsExactly("two", "three");
    }

    @Test
    void sessions_areIsolatedFromEachOther() {
        SessionStore store = store();
        store.append("t#a", draft("for a"));
        store.append("t#b", draft("for b"));

        assertThat(store.latest("t#a", 10)).extracting(Turn::query).containsExactly("for a");
        assertThat(store.latest("t#b", 10)).extracting(Turn::query).containsExactly("for b");
    }

    @Test
    void append_fromFiftyConcurrentWriters_losesNoTurnAndLeavesNoGap() throws Exception {
        SessionStore store = store();
        List<Callable<Turn>> writers = IntStream.range(0, 50)
                .<Callable<Turn>>mapToObj(i -> () -> store.append("t#busy", draft("q" + i))).toList();
        List<Turn> written = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(50)) {
            for (Future<Turn> f : pool.invokeAll(writers)) {
                written.add(f.get());
            }
        }

        List<Turn> stored = store.latest("t#busy", 100);
        assertThat(written).extracting(Turn::seq).doesNotHaveDuplicates();
        assertThat(stored).hasSize(50);
        assertThat(stored).extracting(Turn::seq).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 50).mapToObj(i -> (long) i).toList());
        assertThat(stored).extracting(Turn::query).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 50).mapToObj(i -> "q" + i).toList());
    }
}
