package io.cato.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** Reads and checks request bodies; every problem becomes a 4xx with a stable code. */
public final class RequestReader {
    private final ObjectMapper mapper;
    private final int maxBodyBytes;

    public RequestReader(ObjectMapper mapper, int maxBodyBytes) {
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The body as a JSON object, after checking size, media type and encoding. */
    public JsonNode jsonObject(ApiRequest request) {
        if (request.body().length > maxBodyBytes) {
            throw new ApiException(ErrorCode.BODY_TOO_LARGE, "request body exceeds " + maxBodyBytes + " bytes");
        }
        requireJsonMediaType(request);
        String text = strictUtf8(request.body());
        JsonNode node;
        try {
            node = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (JacksonException e) {
            // Limits on nesting and number length are reported without a location.
            throw new ApiException(ErrorCode.INVALID_JSON, e.getLocation() == null
                    ? "request body is not valid JSON or exceeds a nesting or length limit"
                    : "request body is not valid JSON (at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "request body must be a JSON object");
        }
        return node;
    }

    private static void requireJsonMediaType(ApiRequest request) {
        Optional<String> type = request.header("content-type");
        if (type.isEmpty()) {
            return;
        }
        String mediaType = type.get().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "content-type must be application/json");
        }
    }

    private static String strictUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "request body is not valid UTF-8");
        }
    }

    public static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    public static String requiredText(JsonNode body, String field, int maxChars) {
        String value = optionalText(body, field)
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_REQUEST, field + " is required"));
        if (value.isBlank()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + " must not be empty");
        }
        if (value.length() > maxChars) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + " exceeds " + maxChars + " characters");
        }
        return value;
    }

    public static Optional<Integer> optionalInt(JsonNode body, String field, int min, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        // canConvertToLong first: a number past 64 bits would otherwise wrap around into the range.
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + " must be an integer from " + min + " to " + max);
        }
        return Optional.of(value.asInt());
    }

    public static Optional<Double> optionalNumber(JsonNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < min || value.asDouble() > max) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + " must be a number from " + min + " to " + max);
        }
        return Optional.of(value.asDouble());
    }

    public static boolean optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + " must be true or false");
        }
        return value.asBoolean();
    }
}
