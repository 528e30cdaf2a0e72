package io.cato.api;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a response body; a streaming body flushes after each event. */
@FunctionalInterface
public interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
}
