package io.cato.aws.testing;

import io.cato.aws.opensearch.KnnEngine;
import io.cato.aws.opensearch.OpenSearchVectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.hc.core5.http.HttpHost;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * One in-JVM OpenSearch node with the k-NN plugin, started on first use and shared by every test
 * of the JVM (it takes about ten seconds and a few hundred MB), stopped by a shutdown hook. Its
 * data lives under {@code target/}; each test takes fresh index names instead of a fresh node.
 */
public final class OpenSearchNode {
    private static final String KNN_PLUGIN = "org.opensearch.knn.plugin.KNNPlugin";

    private final OpenSearchRunner runner;
    private final URI endpoint;
    private final OpenSearchTransport rawTransport;
    private final OpenSearchClient raw;

    private OpenSearchNode(OpenSearchRunner runner, URI endpoint) {
        this.runner = runner;
        this.endpoint = endpoint;
        this.rawTransport = ApacheHttpClient5TransportBuilder
                .builder(new HttpHost(endpoint.getScheme(), endpoint.getHost(), endpoint.getPort()))
                .setMapper(new JacksonJsonpMapper())
                .build();
        this.raw = new OpenSearchClient(rawTransport);
    }

    /**
     * The node of this JVM, started now if it is not running yet. A node that failed to start is
     * not tried again: every later caller gets the same failure.
     */
    public static OpenSearchNode shared() {
        return Shared.START.get();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A name no other test uses, valid as an index name. */
    public static String freshIndexName(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    /** A vector index on a fresh index of this node, created with the cache mapping. */
    public OpenSearchVectorIndex freshVectorIndex() {
        OpenSearchVectorIndex index = OpenSearchVectorIndex.forHttp(endpoint,
                OpenSearchVectorIndex.Options.provisioned(freshIndexName("cache")));
        index.createIfMissing();
        return index;
    }

    /**
     * A vector index in serverless mode on a fresh index of this node. The node has no Faiss here,
     * so the index runs the Lucene engine; and its automatic refresh is off, so, as on a
     * Serverless collection between two of its refreshes, nothing written is searchable until the
     * test calls {@link #refresh}.
     */
    public OpenSearchVectorIndex freshServerlessVectorIndex(URI via) {
        String name = freshIndexName("serverless");
        OpenSearchVectorIndex index = OpenSearchVectorIndex.forHttp(via,
                OpenSearchVectorIndex.Options.serverless(name).withEngine(KnnEngine.LUCENE));
        index.createIfMissing();
        rawCall(() -> raw.indices().putSettings(p -> p.index(name)
                .settings(s -> s.refreshInterval(t -> t.time("-1")))));
        return index;
    }

    /** Makes everything written to the index so far searchable (what a Serverless collection does on its schedule). */
    public void refresh(String index) {
        rawCall(() -> raw.indices().refresh(r -> r.index(index)));
    }

    /** A client straight to the node, for what tests set up or inspect beside the adapter. */
    public OpenSearchClient rawClient() {
        return raw;
    }

    private interface RawCall<T> {
        T run() throws IOException;
    }

    private static <T> T rawCall(RawCall<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Shared {
        static final Supplier<OpenSearchNode> START = memoize();

        private static Supplier<OpenSearchNode> memoize() {
            var outcome = new AtomicReference<Object>();
            return () -> {
                synchronized (outcome) {
                    if (outcome.get() == null) {
                        try {
                            outcome.set(start());
                        } catch (IllegalStateException e) {
                            outcome.set(e);
                        }
                    }
                    if (outcome.get() instanceof IllegalStateException failure) {
                        throw new IllegalStateException(failure.getMessage(), failure);
                    }
                    return (OpenSearchNode) outcome.get();
                }
            };
        }
    }

    private static OpenSearchNode start() {
        int port = freePort();
        Path home = Path.of("target", "opensearch-node-" + ProcessHandle.current().pid()).toAbsolutePath();
        // Other clients in the same test JVM (the SDK's async Netty client) may have fixed Netty's
        // processor count already; OpenSearch would refuse to set it a second time.
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
        OpenSearchRunner runner = new OpenSearchRunner();
        try {
            Files.createDirectories(home);
            runner.setMaxHttpPort(port); // the runner only probes ports up to its maximum, 9299 by default
            runner.onBuild((number, settings) -> settings
                            .put("http.port", Integer.toString(port))
                            .put("http.host", "127.0.0.1")
                            .put("transport.host", "127.0.0.1")
                            // a nearly full build disk must not turn the node read-only
                            .put("cluster.routing.allocation.disk.threshold_enabled", false))
                    .build(OpenSearchRunner.newConfigs()
                            .clusterName("cato-test-" + ProcessHandle.current().pid())
                            .numOfNode(1)
                            .baseHttpPort(port - 1)
                            .basePath(home.toString())
                            .pluginTypes(KNN_PLUGIN)
                            .disableESLogger());
            runner.ensureYellow();
        } catch (RuntimeException | IOException | LinkageError e) {
            closeQuietly(runner);
            throw new IllegalStateException("the in-JVM OpenSearch node with k-NN did not start (port " + port
                    + ", data " + home + "). Is the k-NN plugin unpacked into target/opensearch-knn and on the"
                    + " test classpath? Run the tests through Maven (mvn verify), which does both.", e);
        }
        OpenSearchNode node = new OpenSearchNode(runner, URI.create("http://127.0.0.1:" + port));
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "opensearch-node-stop"));
        return node;
    }

    private void stop() {
        try {
            rawTransport.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("OpenSearch test client did not close cleanly: " + e);
        }
        closeQuietly(runner);
        runner.clean();
    }

    private static void closeQuietly(OpenSearchRunner runner) {
        try {
            if (!runner.isClosed()) {
                runner.close();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("OpenSearch test node did not stop cleanly: " + e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
