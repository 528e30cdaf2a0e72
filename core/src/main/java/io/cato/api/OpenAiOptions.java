package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.config.Json;
import io.cato.model.ResponseFormat;
import io.cato.model.ToolChoice;
import io.cato.model.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fields of an OpenAI chat request beyond messages: each one is read and honoured, accepted with a documented
 * meaning, or refused with {@code unsupported_parameter} naming it. No field is dropped without a word.
 */
final class OpenAiOptions {
    static final int MAX_N = 8;
    static final int MAX_TOOLS = 128;
    static final int MAX_STOP = 4;
    /** What OpenAI, Anthropic and Converse all accept as a tool or schema name. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Every top-level field of OpenAI's chat completions request; anything else is refused as unknown. */
    static final Set<String> KNOWN = Set.of("messages", "model", "audio", "frequency_penalty", "function_call",
            "functions", "logit_bias", "logprobs", "max_completion_tokens", "max_tokens", "metadata", "modalities", "n",
            "parallel_tool_calls", "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_retention",
            "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier", "stop", "store",
            "stream", "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user",
            "verbosity", "web_search_options");

    /** Fields Cato refuses whenever they carry a value, with what would be needed instead. */
    private static final Map<String, String> REFUSED = Map.of(
            "audio", "audio output is not offered; Cato answers in text",
            "function_call", "the deprecated functions API is not offered; send tools and tool_choice",
            "functions", "the deprecated functions API is not offered; send tools and tool_choice",
            "prediction", "predicted outputs are not offered",
            "reasoning_effort", "reasoning effort is not offered by Cato's tiers",
            "verbosity", "verbosity is not offered by Cato's tiers",
            "web_search_options", "web search is not offered",
            "top_logprobs", "log probabilities are not offered");

    private OpenAiOptions() {
    }

    static void refuseUnknownAndUnsupported(JsonNode body) {
        body.fieldNames().forEachRemaining(field -> {
            if (!KNOWN.contains(field)) {
                throw ApiException.unsupported(field, "unknown parameter '" + field
                        + "'; the README lists the chat completion fields Cato honours");
            }
            JsonNode value = body.get(field);
            if (REFUSED.containsKey(field) && value != null && !value.isNull()) {
                throw ApiException.unsupported(field, field + ": " + REFUSED.get(field));
            }
        });
        defaultOnly(body, "frequency_penalty", v -> v.isNumber() && v.asDouble() == 0, "0");
        defaultOnly(body, "presence_penalty", v -> v.isNumber() && v.asDouble() == 0, "0");
        defaultOnly(body, "logit_bias", v -> v.isObject() && v.isEmpty(), "{}");
        defaultOnly(body, "logprobs", v -> v.isBoolean() && !v.asBoolean(), "false");
        defaultOnly(body, "store", v -> v.isBoolean() && !v.asBoolean(), "false (Cato keeps no stored completions)");
        defaultOnly(body, "service_tier", v -> v.isTextual() && Set.of("auto", "default").contains(v.asText()),
                "\"auto\" or \"default\"");
        defaultOnly(body, "prompt_cache_retention", v -> v.isTextual() && v.asText().equals("in_memory"),
                "\"in_memory\" (Cato caches prompt prefixes itself)");
        defaultOnly(body, "modalities", v -> v.isArray() && v.size() == 1 && "text".equals(v.get(0).asText()),
                "[\"text\"]");
        checkShortText(body, "prompt_cache_key", 1024);
        checkShortText(body, "safety_identifier", 64);
        checkMetadata(body.get("metadata"));
    }

    /** A field whose only honoured value is its default: that value is accepted, any other refused. */
    private static void defaultOnly(JsonNode body, String field, java.util.function.Predicate<JsonNode> isDefault,
                                    String allowed) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !isDefault.test(value)) {
            throw ApiException.unsupported(field, field + ": only " + allowed + " is supported, got " + value);
        }
    }

    private static void checkShortText(JsonNode body, String field, int max) {
        RequestReader.optionalText(body, field).filter(v -> v.length() > max).ifPresent(v -> {
            throw new ApiException(ErrorCode.INVALID_REQUEST, field + " may have at most " + max + " characters", field);
        });
    }

    /** OpenAI's limits: up to 16 pairs, keys up to 64 characters, string values up to 512. */
    private static void checkMetadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return;
        }
        boolean valid = metadata.isObject() && metadata.size() <= 16;
        for (var it = metadata.fields(); valid && it.hasNext(); ) {
            var entry = it.next();
            valid = entry.getKey().length() <= 64 && entry.getValue().isTextual() && entry.getValue().asText().length() <= 512;
        }
        if (!valid) {
            throw new ApiException(ErrorCode.INVALID_REQUEST,
                    "metadata must be an object of at most 16 string values (keys up to 64, values up to 512 characters)",
                    "metadata");
        }
    }

    static List<ToolSpec> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray() || tools.size() > MAX_TOOLS) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "tools must be an array of at most " + MAX_TOOLS, "tools");
        }
        List<ToolSpec> specs = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (!"function".equals(tool.path("type").asText())) {
                throw ApiException.unsupported(at + ".type", at + ": only function tools are supported, got "
                        + tool.path("type"));
            }
            JsonNode function = tool.path("function");
            String name = function.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, at + ".function.name must be 1-64 letters, digits, _ or -",
                        at + ".function.name");
            }
            specs.add(new ToolSpec(name, function.hasNonNull("description") ? function.get("description").asText() : null,
                    schema(function.get("parameters"), at + ".function.parameters"), function.path("strict").asBoolean(false)));
        }
        return specs;
    }

    static JsonNode schema(JsonNode schema, String at) {
        if (schema == null || schema.isNull()) {
            return Json.newMapper().createObjectNode().put("type", "object").set("properties",
                    Json.newMapper().createObjectNode());
        }
        if (!schema.isObject()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, at + " must be a JSON Schema object", at);
        }
        return schema;
    }

    static ToolChoice toolChoice(JsonNode choice, List<ToolSpec> tools) {
        if (choice == null || choice.isNull()) {
            return ToolChoice.AUTO;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> ToolChoice.AUTO;
                case "required" -> ToolChoice.REQUIRED;
                case "none" -> ToolChoice.NONE;
                default -> throw new ApiException(ErrorCode.INVALID_REQUEST,
                        "tool_choice must be auto, required, none or a function", "tool_choice");
            };
        }
        if (!"function".equals(choice.path("type").asText())) {
            throw ApiException.unsupported("tool_choice", "tool_choice: only auto, required, none and "
                    + "{type: function} are supported, got type " + choice.path("type"));
        }
        String name = choice.path("function").path("name").asText("");
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "tool_choice names a function that is not in tools",
                    "tool_choice");
        }
        return ToolChoice.function(name);
    }

    static ResponseFormat responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return ResponseFormat.TEXT;
        }
        return switch (format.path("type").asText()) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> {
                JsonNode spec = format.path("json_schema");
                String name = spec.path("name").asText("");
                if (!NAME.matcher(name).matches()) {
                    throw new ApiException(ErrorCode.INVALID_REQUEST,
                            "response_format.json_schema.name must be 1-64 letters, digits, _ or -", "response_format");
                }
                yield ResponseFormat.jsonSchema(name, schema(spec.get("schema"), "response_format.json_schema.schema"),
                        spec.path("strict").asBoolean(false));
            }
            default -> throw ApiException.unsupported("response_format", "response_format: type must be text, "
                    + "json_object or json_schema, got " + format.path("type"));
        };
    }

    static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        List<String> sequences = new ArrayList<>();
        if (stop.isTextual()) {
            sequences.add(stop.asText());
        } else if (stop.isArray() && stop.size() <= MAX_STOP) {
            stop.forEach(s -> sequences.add(s.isTextual() ? s.asText() : ""));
        }
        if (sequences.isEmpty() || sequences.stream().anyMatch(String::isEmpty)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST,
                    "stop must be a non-empty string or an array of at most " + MAX_STOP + " of them", "stop");
        }
        return sequences;
    }

    static Optional<Long> seed(JsonNode body) {
        JsonNode seed = body.get("seed");
        if (seed == null || seed.isNull()) {
            return Optional.empty();
        }
        if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "seed must be an integer", "seed");
        }
        return Optional.of(seed.asLong());
    }

    /** {@code stream_options}: include_usage (honoured), include_obfuscation (accepted: Cato adds no padding). */
    static boolean includeUsage(JsonNode body, boolean stream) {
        JsonNode options = body.get("stream_options");
        if (options == null || options.isNull()) {
            return false;
        }
        if (!stream) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "stream_options is only allowed when stream is true",
                    "stream_options");
        }
        if (!options.isObject()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "stream_options must be an object", "stream_options");
        }
        options.fieldNames().forEachRemaining(key -> {
            if (!key.equals("include_usage") && !key.equals("include_obfuscation")) {
                throw ApiException.unsupported("stream_options." + key, "unknown stream option '" + key + "'");
            }
        });
        RequestReader.optionalBoolean(options, "include_obfuscation");
        return RequestReader.optionalBoolean(options, "include_usage");
    }
}
