package io.cato.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A session store for tests and single-process use. */
public final class InMemorySessionStore implements SessionStore {
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
}
