package io.cato.curiosity;

import java.util.List;
import java.util.Optional;

/**
 * Object storage for batch input and output, addressed by {@code s3://bucket/key} URIs. Throws
 * {@link io.cato.dependency.DependencyUnavailableException} when the store cannot be reached.
 */
public interface BatchStore {

    /** Writes (or replaces) one object. */
    void write(String uri, byte[] content);

    /** The object's content; empty when there is none. */
    Optional<byte[]> read(String uri);

    /** The URIs of every object whose URI starts with {@code prefixUri}, in key order. */
    List<String> list(String prefixUri);
}
