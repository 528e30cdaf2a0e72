package io.cato.aws.bedrock;

import io.cato.model.ModelCallException;
import io.cato.model.ModelClient;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.TierConfig;
import io.cato.model.StreamSink;
import io.cato.model.TokenUsage;
import io.cato.model.ToolCall;
import io.cato.model.ToolCallDelta;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;

/**
 * A tier served by Amazon Bedrock through the Converse API ({@code POST /model/{modelId}/converse})
 * and ConverseStream ({@code /converse-stream}, an AWS event stream). Every failure leaves as a
 * {@link ModelCallException}: SDK exceptions, timeouts, and replies whose stop reason means no
 * answer (guardrail, content filter, context window). The SDK clients are built once per
 * environment and shared by all requests.
 */
public final class BedrockModelClient implements ModelClient {
    private final TierConfig tier;
    private final BedrockRuntimeClient sync;
    private final BedrockRuntimeAsyncClient async;

    public BedrockModelClient(TierConfig tier, BedrockRuntimeClient sync, BedrockRuntimeAsyncClient async) {
        this.tier = tier;
        this.sync = sync;
        this.async = async;
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        Duration timeout = timeout(request);
        ConversePrompt prompt = ConversePrompt.of(request, tier.promptCacheMinTokens());
        ConverseTools tools = ConverseTools.of(request.options(), prompt);
        ConverseResponse response;
        try {
            ConverseRequest.Builder converse = ConverseRequest.builder()
                    .modelId(tier.modelId())
                    .messages(prompt.messages())
                    .inferenceConfig(inference(request))
                    .overrideConfiguration(AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build());
            if (!prompt.system().isEmpty()) {
                converse.system(prompt.system());
            }
            tools.config().ifPresent(converse::toolConfig);
            response = sync.converse(converse.build());
        } catch (SdkException e) {
            throw failure(BedrockFailures.classify(e, timeout));
        }
        BedrockFailures.fromStopReason(response.stopReasonAsString()).ifPresent(f -> {
            throw failure(f);
        });
        List<ContentBlock> content = response.output() == null || response.output().message() == null ? List.of()
                : response.output().message().content();
        String text = content.stream().map(ContentBlock::text).filter(t -> t != null).collect(Collectors.joining());
        List<ToolCall> uses = content.stream().map(ContentBlock::toolUse).filter(u -> u != null)
                .map(u -> new ToolCall(u.toolUseId(), u.name(), Documents.toJsonText(u.input()))).toList();
        ConverseTools.Reply reply = tools.interpret(text, uses, response.stopReasonAsString());
        if (reply.text().isEmpty() && reply.toolCalls().isEmpty()) {
            throw failure(new ModelFailure.Unavailable("reply without text (stopReason "
                    + response.stopReasonAsString() + ")"));
        }
        return new ModelReply(reply.text(), tier.modelId(), usage(response.usage()), reply.toolCalls(),
                reply.finishReason());
    }

    /**
     * Relays text deltas to {@code onDelta} on the calling thread. Each event, the first and every
     * later one, must arrive within the tier's timeout of the one before, and the whole answer within
     * the request's deadline. A caller that goes away ends the call. A failure
     * is thrown whether or not deltas were sent; the caller knows which happened.
     */
    @Override
    public ModelReply stream(ModelRequest request, Consumer<String> onDelta) {
        ConversePrompt prompt = ConversePrompt.of(request, tier.promptCacheMinTokens());
        ConverseTools tools = ConverseTools.of(request.options(), prompt);
        BlockingQueue<StreamEvent> events = new LinkedBlockingQueue<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onMessageStart(e -> events.add(new StreamEvent.Started()))
                        .onContentBlockStart(e -> {
                            if (e.start() != null && e.start().toolUse() != null) {
                                events.add(new StreamEvent.ToolStart(e.contentBlockIndex(), e.start().toolUse().toolUseId(),
                                        e.start().toolUse().name()));
                            }
                        })
                        .onContentBlockDelta(e -> {
                            String text = e.delta() == null ? null : e.delta().text();
                            if (text != null && !text.isEmpty()) {
                                events.add(new StreamEvent.Delta(text));
                            }
                            if (e.delta() != null && e.delta().toolUse() != null && e.delta().toolUse().input() != null) {
                                events.add(new StreamEvent.ToolInput(e.contentBlockIndex(), e.delta().toolUse().input()));
                            }
                        })
                        .onMessageStop(e -> events.add(new StreamEvent.Stopped(e.stopReasonAsString())))
                        .onMetadata(e -> events.add(new StreamEvent.Usage(usage(e.usage()))))
                        .build())
                .build();
        CompletableFuture<Void> call;
        try {
            ConverseStreamRequest.Builder converse = ConverseStreamRequest.builder()
                    .modelId(tier.modelId())
                    .messages(prompt.messages())
                    .inferenceConfig(inference(request));
            if (!prompt.system().isEmpty()) {
                converse.system(prompt.system());
            }
            tools.config().ifPresent(converse::toolConfig);
            call = async.converseStream(converse.build(), handler);
        } catch (SdkException e) {
            throw failure(BedrockFailures.classify(e, timeout(request)));
        }
        call.whenComplete((ignored, error) -> events.add(error == null ? new StreamEvent.Done() : new StreamEvent.Failed(error)));
        try {
            return relay(request, events, new ConverseToolStream(tools, onDelta));
        } finally {
            call.cancel(true);
        }
    }

    private ModelReply relay(ModelRequest request, BlockingQueue<StreamEvent> events, ConverseToolStream onDelta) {
        long deadline = System.nanoTime() + request.deadline().toNanos();
        boolean started = false;
        StringBuilder text = new StringBuilder();
        String stopReason = null;
        TokenUsage usage = TokenUsage.NONE;
        while (true) {
            // The first event, and every one after it, must come within the tier's time-out: a stream that stalls
            // mid-answer is ended, not held until the deadline.
            StreamEvent event = next(events, Math.min(deadline, System.nanoTime() + timeout(request).toNanos()));
            if (event == null) {
                throw failure(new ModelFailure.TimedOut(started
                        ? (System.nanoTime() - deadline >= 0 ? "answer not finished within " + request.deadline()
                                : "stream stalled for " + timeout(request))
                        : "no answer within " + timeout(request)));
            }
            started = true;
            switch (event) {
                case StreamEvent.Started s -> { }
                case StreamEvent.Delta d -> {
                    text.append(d.text());
                    onDelta.accept(d.text());
                }
                case StreamEvent.ToolStart t -> onDelta.start(t.block(), t.id(), t.name());
                case StreamEvent.ToolInput t -> onDelta.input(t.block(), t.fragment());
                case StreamEvent.Stopped s -> stopReason = s.reason();
                case StreamEvent.Usage u -> usage = u.usage();
                case StreamEvent.Failed f -> throw failure(BedrockFailures.classify(f.error(), timeout(request)));
                case StreamEvent.Done d -> {
                    BedrockFailures.fromStopReason(stopReason).ifPresent(f -> {
                        throw failure(f);
                    });
                    ConverseTools.Reply reply = onDelta.tools().interpret(text.toString(), onDelta.uses(), stopReason);
                    return new ModelReply(reply.text(), tier.modelId(), usage, reply.toolCalls(), reply.finishReason());
                }
            }
        }
    }

    private StreamEvent next(BlockingQueue<StreamEvent> events, long byNanos) {
        try {
            return events.poll(Math.max(0, byNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(new ModelFailure.Unavailable("interrupted"));
        }
    }

    private InferenceConfiguration inference(ModelRequest request) {
        InferenceConfiguration.Builder config = InferenceConfiguration.builder()
                .maxTokens(Math.min(request.maxTokens(), tier.maxOutputTokens()))
                .temperature((float) request.temperature());
        if (!request.options().stop().isEmpty()) {
            config.stopSequences(request.options().stop());
        }
        request.options().topP().ifPresent(p -> config.topP(p.floatValue()));
        return config.build();
    }

    /**
     * Bedrock counts cache reads and writes apart from {@code inputTokens}; Cato's usage counts
     * all input, with the cache reads and writes inside it, each kept apart so that
     * {@link TierConfig.Prices} charges reads at the cached price and writes at the cache-write price.
     */
    static TokenUsage usage(software.amazon.awssdk.services.bedrockruntime.model.TokenUsage usage) {
        if (usage == null) {
            return TokenUsage.NONE;
        }
        int read = orZero(usage.cacheReadInputTokens());
        int written = orZero(usage.cacheWriteInputTokens());
        return new TokenUsage(orZero(usage.inputTokens()) + read + written, orZero(usage.outputTokens()), read, written);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private Duration timeout(ModelRequest request) {
        return tier.timeout().compareTo(request.deadline()) <= 0 ? tier.timeout() : request.deadline();
    }

    private ModelCallException failure(ModelFailure failure) {
        return new ModelCallException(tier.name(), failure);
    }

    /** What the SDK's event-loop threads hand to the calling thread. */
    private sealed interface StreamEvent {
        record Started() implements StreamEvent { }

        record Delta(String text) implements StreamEvent { }

        record ToolStart(int block, String id, String name) implements StreamEvent { }

        record ToolInput(int block, String fragment) implements StreamEvent { }

        record Stopped(String reason) implements StreamEvent { }

        record Usage(TokenUsage usage) implements StreamEvent { }

        record Failed(Throwable error) implements StreamEvent { }

        record Done() implements StreamEvent { }
    }
}
