package io.cato.aws.http;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Several HTTP clients used in turn, each with its own connections. The JDK's client puts every
 * HTTP/2 request to one origin on a single connection; with thousands of model calls in flight,
 * that connection's frame queue (on both ends) becomes the limit, and a server that caps its
 * streams per connection refuses the excess. Spreading the calls over a few clients spreads them
 * over as many connections.
 */
public final class StripedHttpClient extends HttpClient {
    private final List<HttpClient> stripes;
    private final AtomicLong next = new AtomicLong();

    private StripedHttpClient(List<HttpClient> stripes) {
        this.stripes = List.copyOf(stripes);
    }

    /** {@code count} clients from {@code build}; a single client when {@code count} is 1. */
    public static HttpClient of(int count, Supplier<HttpClient> build) {
        if (count < 1) {
            throw new IllegalArgumentException("upstream connections must be at least 1");
        }
        if (count == 1) {
            return build.get();
        }
        return new StripedHttpClient(java.util.stream.Stream.generate(build).limit(count).toList());
    }

    private HttpClient pick() {
        return stripes.get((int) Math.floorMod(next.getAndIncrement(), (long) stripes.size()));
    }

    private HttpClient first() {
        return stripes.getFirst();
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return first().cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return first().connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return first().followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return first().proxy();
    }

    @Override
    public SSLContext sslContext() {
        return first().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return first().sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return first().authenticator();
    }

    @Override
    public Version version() {
        return first().version();
    }

    @Override
    public Optional<Executor> executor() {
        return first().executor();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return pick().send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return pick().sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return pick().sendAsync(request, handler, pushPromiseHandler);
    }

    @Override
    public void shutdown() {
        stripes.forEach(HttpClient::shutdown);
    }

    @Override
    public void shutdownNow() {
        stripes.forEach(HttpClient::shutdownNow);
    }

    @Override
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        boolean all = true;
        for (HttpClient stripe : stripes) {
            all &= stripe.awaitTermination(duration);
        }
        return all;
    }

    @Override
    public boolean isTerminated() {
        return stripes.stream().allMatch(HttpClient::isTerminated);
    }

    @Override
    public void close() {
        stripes.forEach(HttpClient::close);
    }
}
