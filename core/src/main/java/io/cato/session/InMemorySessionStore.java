package io.cato.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A session store for tests and single-process use. */
public final class InMemorySessionStore implements SessionStore, InteractionLog {
    private final Map<String, List<Turn>> sessions = new ConcurrentHashMap<>();

    @Override
    public List<Turn> latest(String sessionKey, int limit) {
        List<Turn> turns = sessions.getOrDefault(sessionKey, List.of());
        synchronized (turns) {
            return List.copyOf(turns.subList(Math.max(0, turns.size() - limit), turns.size()));
        }
    }

    @Override
    public Turn append(String sessionKey, TurnDraft draft) {
        List<Turn> turns = sessions.computeIfAbsent(sessionKey, k -> new ArrayList<>());
        synchronized (turns) {
            Turn turn = draft.at(turns.size() + 1L);
            turns.add(turn);
            return turn;
        }
    }

    @Override
    public boolean recordVerdict(String sessionKey, long seq, Verdict verdict) {
        List<Turn> turns = sessions.getOrDefault(sessionKey, List.of());
        synchronized (turns) {
            if (seq < 1 || seq > turns.size()) {
                return false;
            }
            Turn t = turns.get((int) seq - 1);
            turns.set((int) seq - 1, t.withVerdict(verdict));
            return true;
        }
    }

    @Override
    public List<Interaction> between(Instant from, Instant until, int limit) {
        List<Interaction> found = new ArrayList<>();
        sessions.forEach((key, turns) -> {
            synchronized (turns) {
                turns.stream().filter(t -> !t.at().isBefore(from) && !t.at().isAfter(until))
                        .forEach(t -> found.add(new Interaction(key, t)));
            }
        });
        return found.stream().sorted(Comparator.comparing((Interaction i) -> i.turn().at())
                .thenComparing(Interaction::sessionKey).thenComparingLong(i -> i.turn().seq())).limit(limit).toList();
    }

    @Override
    public Optional<Turn> turn(String sessionKey, long seq) {
        List<Turn> turns = sessions.getOrDefault(sessionKey, List.of());
        synchronized (turns) {
            return seq >= 1 && seq <= turns.size() ? Optional.of(turns.get((int) seq - 1)) : Optional.empty();
        }
    }
}
