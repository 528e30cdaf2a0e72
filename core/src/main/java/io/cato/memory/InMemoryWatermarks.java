package io.cato.memory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Watermarks for tests and single-process use. */
public final class InMemoryWatermarks implements Watermarks {
    private final Map<String, Instant> marks = new ConcurrentHashMap<>();

    @Override
    public Optional<Instant> get(String workflow) {
        return Optional.ofNullable(marks.get(workflow));
    }

    @Override
    public synchronized boolean advance(String workflow, Optional<Instant> expected, Instant to) {
        Optional<Instant> current = get(workflow);
        if (!current.equals(expected) || current.filter(c -> !to.isAfter(c)).isPresent()) {
            return false;
        }
        marks.put(workflow, to);
        return true;
    }
}
