package io.cato.aws.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.cato.aws.ModelClients;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class StripedHttpClientTest {

    @Test
    void callsAreSpreadOverTheStripes_eachKeepingItsOwnConnection() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        try (HttpClient striped = ModelClients.httpClient(false, 4)) {
            URI uri = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1/models");
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> response = striped.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).isEqualTo("ok");
            }
            assertThat(striped).isInstanceOf(StripedHttpClient.class);
            assertThat(clientPorts).hasSize(4);
        } finally {
            upstream.stop(0);
        }
    }

    @Test
    void oneConnection_isThePlainClient_andFewerThanOneIsRefused() {
        assertThat(ModelClients.httpClient(true, 1)).isNotInstanceOf(StripedHttpClient.class);
        assertThatThrownBy(() -> StripedHttpClient.of(0, HttpClient::newHttpClient))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
