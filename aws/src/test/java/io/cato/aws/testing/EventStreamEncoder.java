package io.cato.aws.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Encodes messages of the AWS event stream ({@code application/vnd.amazon.eventstream}), as
 * Bedrock's ConverseStream sends them: a prelude (total length, headers length, CRC32 of those
 * eight bytes), headers (name length, name, type 7 = string, value length, value), the payload,
 * and a CRC32 of everything before it.
 */
public final class EventStreamEncoder {
    private static final byte STRING_HEADER = 7;

    private EventStreamEncoder() {
    }

    /** An event such as {@code contentBlockDelta}, with a JSON payload. */
    public static byte[] event(String eventType, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", eventType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        return message(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A modelled error inside the stream, such as {@code throttlingException}. */
    public static byte[] exception(String exceptionType, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":exception-type", exceptionType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "exception");
        return message(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] message(Map<String, String> headers, byte[] payload) {
        byte[] encodedHeaders = headers(headers);
        int total = 12 + encodedHeaders.length + payload.length + 4;
        ByteBuffer buffer = ByteBuffer.allocate(total);
        buffer.putInt(total).putInt(encodedHeaders.length);
        buffer.putInt((int) crc(buffer.array(), 8));
        buffer.put(encodedHeaders).put(payload);
        buffer.putInt((int) crc(buffer.array(), total - 4));
        return buffer.array();
    }

    private static byte[] headers(Map<String, String> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
            out.write(nameBytes.length);
            out.writeBytes(nameBytes);
            out.write(STRING_HEADER);
            out.write(valueBytes.length >>> 8);
            out.write(valueBytes.length & 0xFF);
            out.writeBytes(valueBytes);
        });
        return out.toByteArray();
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
