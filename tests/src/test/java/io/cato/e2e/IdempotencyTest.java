package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotency-Key through HTTP, with a model tier that counts its calls. */
class IdempotencyTest {
    private static final String BODY = "{\"query\":\"Summarise our plan\",\"session_id\":\"idem\"}";

    @Test
    void sameKeyTwice_returnsByteIdenticalBodies_andCallsTheModelOnce(@TempDir Path data) {
        try (OpenAiStub model = new OpenAiStub().answering("The plan, summarised.");
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()))) {
            Http http = new Http(cato.port());

            HttpResponse<String> first = http.postJson("/api/cato/query", BODY, "Idempotency-Key", "order-1");
            HttpResponse<String> second = http.postJson("/api/cato/query", BODY, "Idempotency-Key", "order-1");

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(first.body()).contains("The plan, summarised.");
            assertThat(model.calls()).isEqualTo(1);
        }
    }

    @Test
    void twentyConcurrentDuplicates_makeExactlyOneModelCall(@TempDir Path data) throws Exception {
        try (OpenAiStub model = new OpenAiStub().answering("once").delay(Duration.ofMillis(500));
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()))) {
            Http http = new Http(cato.port());
            List<Callable<HttpResponse<String>>> duplicates = IntStream.range(0, 20)
                    .<Callable<HttpResponse<String>>>mapToObj(i -> () ->
                            http.postJson("/api/cato/query", BODY, "Idempotency-Key", "burst-1"))
                    .toList();
            List<HttpResponse<String>> responses = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(20)) {
                for (Future<HttpResponse<String>> f : pool.invokeAll(duplicates)) {
                    responses.add(f.get());
                }
            }

            assertThat(model.calls()).isEqualTo(1);
            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 409));
            assertThat(responses).filteredOn(r -> r.statusCode() == 409)
                    .allSatisfy(r -> assertThat(r.body()).contains("\"code\":\"idempotency_in_progress\""));
            List<String> served = responses.stream().filter(r -> r.statusCode() == 200).map(HttpResponse::body).toList();
            assertThat(served).isNotEmpty().containsOnly(served.getFirst());
            HttpResponse<String> later = http.postJson("/api/cato/query", BODY, "Idempotency-Key", "burst-1");
            assertThat(later.body()).isEqualTo(served.getFirst());
            assertThat(model.calls()).isEqualTo(1);
        }
    }
}
