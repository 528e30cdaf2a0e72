package io.cato.curiosity;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A batch store for tests and single-process use. */
public final class InMemoryBatchStore implements BatchStore {
    private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public void write(String uri, byte[] content) {
        BatchUri.parse(uri);
        objects.put(uri, content.clone());
    }

    @Override
    public Optional<byte[]> read(String uri) {
        return Optional.ofNullable(objects.get(uri)).map(byte[]::clone);
    }

    @Override
    public List<String> list(String prefixUri) {
        return objects.keySet().stream().filter(uri -> uri.startsWith(prefixUri)).toList();
    }
}
