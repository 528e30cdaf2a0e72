package io.cato.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against a JSON Schema, covering the keywords structured output uses: type, properties,
 * required, additionalProperties, items, enum, const, anyOf, oneOf, allOf, minimum/maximum (and their exclusive
 * forms), minLength/maxLength, minItems/maxItems, pattern, and local {@code $ref}s into {@code $defs} or
 * {@code definitions}. Unknown keywords (format, description, title...) are ignored, as validators do.
 */
public final class JsonSchemaValidator {
    private static final int MAX_DEPTH = 64;
    private final JsonNode root;

    public JsonSchemaValidator(JsonNode root) {
        this.root = root;
    }

    /**
     * What is wrong with {@code value}, one line per problem with its JSON pointer; empty when it matches. The
     * lines name places and rules, never the value's content, so they may be logged.
     */
    public List<String> problems(JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(root, value, "", problems, 0);
        return problems;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> problems, int depth) {
        if (depth > MAX_DEPTH) {
            problems.add(at + ": schema nests too deeply");
            return;
        }
        if (schema == null || schema.isMissingNode() || (schema.isBoolean() && schema.asBoolean())) {
            return;
        }
        if (schema.isBoolean()) {
            problems.add(at + ": no value is allowed here");
            return;
        }
        if (schema.has("$ref")) {
            check(resolve(schema.get("$ref").asText(), at, problems), value, at, problems, depth + 1);
        }
        checkType(schema, value, at, problems);
        checkValues(schema, value, at, problems);
        checkCombinations(schema, value, at, problems, depth);
        if (value.isObject()) {
            checkObject(schema, value, at, problems, depth);
        } else if (value.isArray()) {
            checkArray(schema, value, at, problems, depth);
        } else if (value.isTextual()) {
            checkString(schema, value.asText(), at, problems);
        } else if (value.isNumber()) {
            checkNumber(schema, value.asDouble(), at, problems);
        }
    }

    private JsonNode resolve(String ref, String at, List<String> problems) {
        if (!ref.startsWith("#")) {
            problems.add(at + ": only local $ref is supported, got " + ref);
            return null;
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            problems.add(at + ": $ref " + ref + " points nowhere");
            return null;
        }
        return target;
    }

    private static void checkType(JsonNode schema, JsonNode value, String at, List<String> problems) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return;
        }
        boolean matches = false;
        if (type.isArray()) {
            for (JsonNode t : type) {
                matches |= isType(t.asText(), value);
            }
        } else {
            matches = isType(type.asText(), value);
        }
        if (!matches) {
            problems.add(at + ": expected " + type + ", got " + typeOf(value));
        }
    }

    static boolean isType(String type, JsonNode value) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> false;
        };
    }

    private static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void checkValues(JsonNode schema, JsonNode value, String at, List<String> problems) {
        JsonNode options = schema.get("enum");
        if (options != null && options.isArray()) {
            boolean found = false;
            for (JsonNode option : options) {
                found |= equal(option, value);
            }
            if (!found) {
                problems.add(at + ": not one of the enum's values");
            }
        }
        if (schema.has("const") && !equal(schema.get("const"), value)) {
            problems.add(at + ": not the schema's constant");
        }
    }

    /** JSON equality, where 1 and 1.0 are the same number. */
    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private void checkCombinations(JsonNode schema, JsonNode value, String at, List<String> problems, int depth) {
        if (schema.has("allOf")) {
            schema.get("allOf").forEach(s -> check(s, value, at, problems, depth + 1));
        }
        if (schema.has("anyOf") && matching(schema.get("anyOf"), value, depth) == 0) {
            problems.add(at + ": matches none of anyOf");
        }
        if (schema.has("oneOf")) {
            int matches = matching(schema.get("oneOf"), value, depth);
            if (matches != 1) {
                problems.add(at + ": matches " + matches + " of oneOf instead of exactly one");
            }
        }
        if (schema.has("not")) {
            List<String> inner = new ArrayList<>();
            check(schema.get("not"), value, at, inner, depth + 1);
            if (inner.isEmpty()) {
                problems.add(at + ": matches the schema under not");
            }
        }
    }

    private int matching(JsonNode alternatives, JsonNode value, int depth) {
        int matches = 0;
        for (JsonNode alternative : alternatives) {
            List<String> inner = new ArrayList<>();
            check(alternative, value, "", inner, depth + 1);
            matches += inner.isEmpty() ? 1 : 0;
        }
        return matches;
    }

    private void checkObject(JsonNode schema, JsonNode value, String at, List<String> problems, int depth) {
        JsonNode properties = schema.path("properties");
        if (schema.has("required")) {
            for (JsonNode name : schema.get("required")) {
                if (!value.has(name.asText())) {
                    problems.add(at + ": missing required property '" + name.asText() + "'");
                }
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = at + "/" + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), path, problems, depth + 1);
            } else if (additional != null) {
                if (additional.isBoolean() && !additional.asBoolean()) {
                    problems.add(at + ": a property the schema does not allow");
                } else if (additional.isObject()) {
                    check(additional, field.getValue(), path, problems, depth + 1);
                }
            }
        }
        limit(schema, "minProperties", value.size(), true, at, problems);
        limit(schema, "maxProperties", value.size(), false, at, problems);
    }

    private void checkArray(JsonNode schema, JsonNode value, String at, List<String> problems, int depth) {
        JsonNode items = schema.get("items");
        if (items != null && (items.isObject() || items.isBoolean())) {
            for (int i = 0; i < value.size(); i++) {
                check(items, value.get(i), at + "/" + i, problems, depth + 1);
            }
        }
        limit(schema, "minItems", value.size(), true, at, problems);
        limit(schema, "maxItems", value.size(), false, at, problems);
    }

    private static void checkString(JsonNode schema, String value, String at, List<String> problems) {
        int length = value.codePointCount(0, value.length());
        limit(schema, "minLength", length, true, at, problems);
        limit(schema, "maxLength", length, false, at, problems);
        if (schema.has("pattern")) {
            try {
                if (!Pattern.compile(schema.get("pattern").asText()).matcher(value).find()) {
                    problems.add(at + ": does not match the schema's pattern");
                }
            } catch (java.util.regex.PatternSyntaxException e) {
                problems.add(at + ": the schema's pattern is not a valid regular expression");
            }
        }
    }

    private static void checkNumber(JsonNode schema, double value, String at, List<String> problems) {
        if (schema.has("minimum") && value < schema.get("minimum").asDouble()) {
            problems.add(at + ": below the minimum");
        }
        if (schema.has("maximum") && value > schema.get("maximum").asDouble()) {
            problems.add(at + ": above the maximum");
        }
        if (schema.path("exclusiveMinimum").isNumber() && value <= schema.get("exclusiveMinimum").asDouble()) {
            problems.add(at + ": not above the exclusive minimum");
        }
        if (schema.path("exclusiveMaximum").isNumber() && value >= schema.get("exclusiveMaximum").asDouble()) {
            problems.add(at + ": not below the exclusive maximum");
        }
    }

    private static void limit(JsonNode schema, String keyword, int actual, boolean lower, String at,
                              List<String> problems) {
        JsonNode bound = schema.get(keyword);
        if (bound != null && bound.isNumber() && (lower ? actual < bound.asInt() : actual > bound.asInt())) {
            problems.add(at + ": " + keyword + " " + bound.asInt() + " not met (" + actual + ")");
        }
    }
}
