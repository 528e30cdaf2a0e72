package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.load.UpstreamStub;
import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-flight limit turns excess load into 429s instead of a fall-over; HTTP/2 runs without TLS both ways. */
class ServerCapacityTest {
    private static final String QUERY = "{\"query\":\"Say something\",\"session_id\":\"cap\"}";

    @Test
    void inFlightLimitReached_answers429WithRetryAfter_andServesAgainOnceRequestsFinish(@TempDir Path data)
            throws Exception {
        try (OpenAiStub model = new OpenAiStub().answering("slow answer").delay(Duration.ofSeconds(2));
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString(),
                     "CATO_MAX_IN_FLIGHT", "2", "CATO_CACHE_ENABLED", "false"))) {
            Http http = new Http(cato.port());
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String body = "{\"query\":\"Say something " + i + "\"}";
                held.add(CompletableFuture.supplyAsync(() -> http.postJson("/api/cato/query", body)));
            }
            awaitCalls(model, 2);

            HttpResponse<String> refused = http.postJson("/api/cato/query", QUERY);

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("retry-after")).contains("1");
            assertThat(refused.body()).contains("\"code\":\"too_many_requests\"");
            for (var request : held) {
                assertThat(request.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(http.postJson("/api/cato/query", QUERY).statusCode()).isEqualTo(200);
            assertThat(model.calls()).isEqualTo(3);
        }
    }

    @Test
    void h2cPriorKnowledge_isServedOnTheSamePortAsHttp11(@TempDir Path data) throws Exception {
        try (LocalCato cato = RunningCato.start(data, Map.of("CATO_CACHE_ENABLED", "false"))) {
            var client = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
            client.start();
            try {
                ContentResponse response = client.POST("http://127.0.0.1:" + cato.port() + "/api/cato/query")
                        .body(new StringRequestContent("application/json", QUERY)).send();

                assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getContentAsString()).contains("\"turn\":1");
            } finally {
                client.stop();
            }
            assertThat(new Http(cato.port()).postJson("/api/cato/query", QUERY).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void moreH2cRequestsThanOneConnectionMayCarry_spreadOverConnections_andAreAllAnswered(@TempDir Path data)
            throws Exception {
        int requests = 600;
        try (OpenAiStub model = new OpenAiStub().answering("held answer").delay(Duration.ofMillis(500));
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString(),
                     "CATO_CACHE_ENABLED", "false"))) {
            var client = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
            client.setMaxConnectionsPerDestination(8);
            client.start();
            try {
                List<CompletableFuture<org.eclipse.jetty.client.Result>> sent = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    var done = new CompletableFuture<org.eclipse.jetty.client.Result>();
                    client.POST("http://127.0.0.1:" + cato.port() + "/api/cato/query")
                            .body(new StringRequestContent("application/json", "{\"query\":\"Question " + i + "\"}"))
                            .timeout(60, TimeUnit.SECONDS)
                            .send(new org.eclipse.jetty.client.BufferingResponseListener() {
                                @Override
                                public void onComplete(org.eclipse.jetty.client.Result result) {
                                    done.complete(result);
                                }
                            });
                    sent.add(done);
                }
                for (var result : sent) {
                    var r = result.get(60, TimeUnit.SECONDS);
                    assertThat(r.isSucceeded()).isTrue();
                    assertThat(r.getResponse().getStatus()).isEqualTo(200);
                }
                var pool = (org.eclipse.jetty.client.AbstractConnectionPool) client.getDestinations().getFirst()
                        .getConnectionPool();
                assertThat(pool.getConnectionCount()).as("256 streams per connection at most").isGreaterThanOrEqualTo(3);
            } finally {
                client.stop();
            }
            assertThat(model.calls()).isEqualTo(requests);
        }
    }

    @Test
    void upstreamHttp2_upgradesTheModelTierConnection_andLaterCallsAreHttp2Streams(@TempDir Path data)
            throws Exception {
        try (UpstreamStub upstream = new UpstreamStub(UpstreamStub.Behaviour.healthy(Duration.ZERO));
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL",
                     upstream.openAiBaseUrl().toString(), "CATO_UPSTREAM_HTTP2", "true", "CATO_CACHE_ENABLED", "false"))) {
            Http http = new Http(cato.port());
            assertThat(http.query("h2", "First question").path("routing").path("tier").asText()).isEqualTo("shadow");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (upstream.upgradedListings() == 0) {
                assertThat(System.nanoTime()).as("the connection was upgraded").isLessThan(deadline);
                Thread.sleep(10);
            }

            for (int i = 0; i < 3; i++) {
                assertThat(http.query("h2", "Question number " + i).path("routing").path("tier").asText())
                        .isEqualTo("shadow");
            }

            assertThat(upstream.calls()).isEqualTo(4);
            assertThat(upstream.http2Calls()).isEqualTo(3);
        }
    }

    @Test
    void h2cUpgrade_fromTheJdkClient_carriesLaterPostsAsHttp2(@TempDir Path data) throws Exception {
        try (LocalCato cato = RunningCato.start(data, Map.of("CATO_CACHE_ENABLED", "false"))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            String base = "http://127.0.0.1:" + cato.port();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/api/admin/cato/health"))
                    .header("authorization", "Bearer " + RunningCato.ADMIN_TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> query = client.send(HttpRequest.newBuilder(URI.create(base + "/api/cato/query"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(QUERY)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(query.statusCode()).isEqualTo(200);
            assertThat(query.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    private static void awaitCalls(OpenAiStub model, int calls) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (model.calls() < calls) {
            assertThat(System.nanoTime()).as("model calls reached " + calls).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
