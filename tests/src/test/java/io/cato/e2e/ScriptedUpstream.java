package io.cato.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible model server on loopback whose answer follows from the request, as a real model's would
 * from its prompt: tools offered get a {@code get_weather} tool call; a tool result gets an answer quoting it; a
 * JSON response format gets JSON; images get a report of what arrived (count, media types, bytes); a question
 * containing "echo-options" gets the stop, seed, top_p and system prompt it was sent. Whole and streamed
 * (text deltas, tool-call deltas, a finish chunk, a usage chunk).
 */
final class ScriptedUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    ScriptedUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.createContext("/v1/models", exchange -> send(exchange, "application/json", "{\"object\":\"list\",\"data\":[]}"));
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    private record Reply(String text, List<String[]> toolCalls, String finishReason) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            requests.add(request);
            Reply reply = reply(request);
            if (request.path("stream").asBoolean(false)) {
                stream(exchange, request, reply);
            } else {
                send(exchange, "application/json", whole(request, reply).toString());
            }
        }
    }

    private static Reply reply(JsonNode request) {
        JsonNode messages = request.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        List<String> images = new ArrayList<>();
        for (JsonNode message : messages) {
            for (JsonNode part : message.path("content")) {
                if ("image_url".equals(part.path("type").asText())) {
                    images.add(describe(part.path("image_url").path("url").asText()));
                }
            }
        }
        String format = request.path("response_format").path("type").asText("text");
        if ("tool".equals(last.path("role").asText())) {
            return new Reply("The tool said: " + last.path("content").asText(), List.of(), "stop");
        }
        if (request.has("tools") && !"none".equals(request.path("tool_choice").asText())) {
            return new Reply("", List.<String[]>of(new String[] {"call_weather_1", "get_weather", "{\"city\":\"Paris\"}"}),
                    "tool_calls");
        }
        if (format.equals("json_schema")) {
            return new Reply("{\"city\":\"Paris\",\"temperature_c\":21}", List.of(), "stop");
        }
        if (format.equals("json_object")) {
            return new Reply("{\"ok\":true}", List.of(), "stop");
        }
        if (!images.isEmpty()) {
            return new Reply("I received " + images.size() + " image(s): " + String.join(", ", images), List.of(), "stop");
        }
        if (last.path("content").asText("").contains("echo-options")) {
            String system = messages.get(0).path("role").asText().equals("system") ? messages.get(0).path("content").asText() : "";
            return new Reply("stop=" + request.path("stop") + " seed=" + request.path("seed").asText("none") + " top_p="
                    + request.path("top_p").asText("none") + " system=" + system, List.of(), "stop");
        }
        return new Reply("Paris is the capital of France.", List.of(), "stop");
    }

    private static String describe(String dataUrl) {
        int comma = dataUrl.indexOf(',');
        String type = dataUrl.substring(5, dataUrl.indexOf(';'));
        return type + " " + Base64.getDecoder().decode(dataUrl.substring(comma + 1)).length + " bytes";
    }

    private static ObjectNode whole(JsonNode request, Reply reply) {
        ObjectNode out = JSON.createObjectNode().put("id", "chatcmpl-stub").put("object", "chat.completion")
                .put("model", request.path("model").asText());
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0).put("finish_reason", reply.finishReason());
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (reply.toolCalls().isEmpty()) {
            message.put("content", reply.text());
        } else {
            message.putNull("content");
            ArrayNode calls = message.putArray("tool_calls");
            reply.toolCalls().forEach(c -> calls.addObject().put("id", c[0]).put("type", "function")
                    .putObject("function").put("name", c[1]).put("arguments", c[2]));
        }
        out.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 8).put("total_tokens", 28);
        return out;
    }

    private static void stream(HttpExchange exchange, JsonNode request, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("content-type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        String model = request.path("model").asText();
        try (OutputStream out = exchange.getResponseBody()) {
            for (String word : reply.text().split("(?<= )")) {
                if (!word.isEmpty()) {
                    ObjectNode delta = JSON.createObjectNode().put("content", word);
                    chunk(out, model, delta, null);
                }
            }
            for (int i = 0; i < reply.toolCalls().size(); i++) {
                String[] call = reply.toolCalls().get(i);
                ObjectNode start = JSON.createObjectNode();
                start.putArray("tool_calls").addObject().put("index", i).put("id", call[0]).put("type", "function")
                        .putObject("function").put("name", call[1]).put("arguments", "");
                chunk(out, model, start, null);
                int half = call[2].length() / 2;
                for (String piece : List.of(call[2].substring(0, half), call[2].substring(half))) {
                    ObjectNode more = JSON.createObjectNode();
                    more.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", piece);
                    chunk(out, model, more, null);
                }
            }
            chunk(out, model, JSON.createObjectNode(), reply.finishReason());
            ObjectNode usage = JSON.createObjectNode().put("id", "chatcmpl-stub").put("object", "chat.completion.chunk")
                    .put("model", model);
            usage.putArray("choices");
            usage.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 8).put("total_tokens", 28);
            write(out, usage.toString());
            write(out, "[DONE]");
        }
    }

    private static void chunk(OutputStream out, String model, ObjectNode delta, String finishReason) throws IOException {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-stub").put("object", "chat.completion.chunk")
                .put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        write(out, chunk.toString());
    }

    private static void write(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
