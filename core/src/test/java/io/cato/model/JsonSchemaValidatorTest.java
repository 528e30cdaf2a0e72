package io.cato.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonSchemaValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            {"type": "object",
             "properties": {
               "city": {"type": "string", "minLength": 2, "pattern": "^[A-Z]"},
               "temperature_c": {"type": "number", "minimum": -90, "maximum": 60},
               "sky": {"enum": ["sunny", "cloudy", "rain"]},
               "kind": {"const": "weather"},
               "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
               "wind": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
               "unit": {"oneOf": [{"const": "C"}, {"const": "F"}]},
               "where": {"$ref": "#/$defs/place"}
             },
             "required": ["city", "temperature_c"],
             "additionalProperties": false,
             "$defs": {"place": {"type": "object", "required": ["lat"], "properties": {"lat": {"type": "number"}}}}}
            """;

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aMatchingValue_hasNoProblems() throws Exception {
        assertThat(new JsonSchemaValidator(json(SCHEMA)).problems(json("""
                {"city": "Paris", "temperature_c": 21.5, "sky": "sunny", "kind": "weather", "tags": ["a"],
                 "wind": null, "unit": "C", "where": {"lat": 48.8}}"""))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing required         | {"city": "Paris"}                                              | missing required property 'temperature_c'
            wrong type               | {"city": 7, "temperature_c": 1}                                | /city: expected "string"
            extra property           | {"city": "Paris", "temperature_c": 1, "x": 1}                  | a property the schema does not allow
            above maximum            | {"city": "Paris", "temperature_c": 99}                         | /temperature_c: above the maximum
            not in enum              | {"city": "Paris", "temperature_c": 1, "sky": "snow"}           | /sky: not one of the enum's values
            not the constant         | {"city": "Paris", "temperature_c": 1, "kind": "other"}         | /kind: not the schema's constant
            too many items           | {"city": "Paris", "temperature_c": 1, "tags": ["a","b","c"]}   | /tags: maxItems 2 not met (3)
            item of the wrong type   | {"city": "Paris", "temperature_c": 1, "tags": [1]}             | /tags/0: expected "string"
            anyOf matched by none    | {"city": "Paris", "temperature_c": 1, "wind": "calm"}          | /wind: matches none of anyOf
            oneOf matched by none    | {"city": "Paris", "temperature_c": 1, "unit": "K"}             | /unit: matches 0 of oneOf
            too short                | {"city": "P", "temperature_c": 1}                              | /city: minLength 2 not met (1)
            pattern                  | {"city": "paris", "temperature_c": 1}                          | /city: does not match the schema's pattern
            ref                      | {"city": "Paris", "temperature_c": 1, "where": {}}             | /where: missing required property 'lat'
            """)
    void eachRule_isReportedWithItsPlace_andWithoutTheValue(String rule, String value, String expected) throws Exception {
        var problems = new JsonSchemaValidator(json(SCHEMA)).problems(json(value));

        assertThat(problems).as(rule).anySatisfy(p -> assertThat(p).contains(expected));
        assertThat(String.join(" ", problems)).doesNotContain("snow", "calm", "other", "paris");
    }
}
