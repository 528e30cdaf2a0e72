package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.local.LocalCato;
import io.cato.testing.OpenAiStub;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send their requests slowly cannot crowd others out: a request holds an in-flight slot only once it has
 * arrived whole, and one that takes longer than the read time-out to arrive is answered 408.
 */
class SlowClientTest {

    @Test
    void clientsTricklingTheirBodies_holdNoInFlightSlot_andAreAnswered408(@TempDir Path data) throws Exception {
        try (OpenAiStub model = new OpenAiStub().answering("Served.");
             LocalCato cato = RunningCato.start(data, Map.of("CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString(),
                     "CATO_MAX_IN_FLIGHT", "2", "CATO_CONFIG_JSON", "{\"limits\":{\"read_timeout_ms\":1500}}"))) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    Socket socket = new Socket("127.0.0.1", cato.port());
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /api/cato/query HTTP/1.1\r\nhost: cato\r\ncontent-type: application/json\r\n"
                            + "content-length: 100\r\n\r\n{\"query\":").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(socket);
                }
                HttpResponse<String> meanwhile = new Http(cato.port()).postJson("/api/cato/query",
                        "{\"query\":\"Is anyone served?\"}");

                assertThat(meanwhile.statusCode()).isEqualTo(200);
                for (Socket socket : slow) {
                    String answer = readHead(socket.getInputStream());
                    assertThat(answer).startsWith("HTTP/1.1 408");
                }
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && head.indexOf("\r\n\r\n") < 0) {
            head.append((char) b);
        }
        return head.toString();
    }
}
