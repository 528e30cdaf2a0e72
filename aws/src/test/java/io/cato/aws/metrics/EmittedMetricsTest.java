package io.cato.aws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.testing.StandardOutput;
import io.cato.status.MetricsSink;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The metric list template.yaml's dashboard and alarms are checked against (emitted-metrics.json) is what the sink
 * declares, and the sink publishes nothing outside it: every metric, unit and dimension set of its documents is in it.
 */
class EmittedMetricsTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theResourceTheTemplateChecksReadIsTheDeclaredList() throws IOException {
        try (InputStream in = EmittedMetrics.class.getResourceAsStream("emitted-metrics.json")) {
            List<EmittedMetrics.Metric> listed = mapper.readValue(in, new TypeReference<>() { });
            assertThat(listed).containsExactlyElementsOf(EmittedMetrics.ALL);
        }
    }

    @Test
    void everyPublishedMetricAndDimensionSetIsDeclared() throws IOException {
        var sink = new PowertoolsMetricsSink("Cato", "cato-route", Clock.systemUTC());
        sink.answered(new MetricsSink.AnswerMetrics("bedrock_haiku", "simple", false, false, "hit",
                Optional.of("exact"), 12, 0.001, 10, 20, 0, Optional.of("acme")));
        sink.limited("acme", "rate_limited");
        sink.breakerOpened("bedrock_haiku");
        String output = StandardOutput.of(sink::flush);

        Map<String, EmittedMetrics.Metric> declared = EmittedMetrics.ALL.stream()
                .collect(Collectors.toMap(EmittedMetrics.Metric::name, Function.identity()));
        List<String> published = new ArrayList<>();
        for (String line : output.lines().toList()) {
            JsonNode directive = mapper.readTree(line).path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("Cato");
            List<List<String>> dimensions = mapper.convertValue(directive.path("Dimensions"),
                    new TypeReference<>() { });
            for (JsonNode metric : directive.path("Metrics")) {
                String name = metric.path("Name").asText();
                published.add(name);
                assertThat(declared).as(line).containsKey(name);
                assertThat(metric.path("Unit").asText()).as(name).isEqualTo(declared.get(name).unit());
                assertThat(declared.get(name).dimensions()).as(name).containsAll(dimensions);
            }
        }
        assertThat(published).containsAll(declared.keySet());
    }
}
