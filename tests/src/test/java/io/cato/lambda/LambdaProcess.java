package io.cato.lambda;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A function started as the java25 managed runtime starts it: a fresh JVM (this JDK) whose class
 * path holds only what the runtime provides (its runtime interface client and the Lambda core and
 * serialization libraries), the unpacked artifact as working directory ({@code /var/task}), the
 * runtime's JVM options, and the Lambda environment variables. With an exec wrapper, the wrapper
 * is run with that command line as its arguments, as Lambda does for AWS_LAMBDA_EXEC_WRAPPER.
 */
final class LambdaProcess implements AutoCloseable {
    static final String RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The jars of the managed runtime's /var/runtime/lib, taken from this test's class path. */
    private static final List<String> RUNTIME_JARS = List.of("aws-lambda-java-runtime-interface-client-",
            "aws-lambda-java-core-", "aws-lambda-java-serialization-", "utils-lite-");

    private final Process process;
    private final Path log;

    private LambdaProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param wrapper the exec wrapper inside the task root (e.g. "stream-bootstrap"), or null
     * @param env the function's environment (template variables); Lambda's own are added here
     */
    static LambdaProcess start(Path taskRoot, String handler, String wrapper, String runtimeApi,
                               boolean snapStart, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        if (wrapper != null) {
            command.add(taskRoot.resolve(wrapper).toString());
        }
        command.add(CurrentJvm.executable());
        // The options the java runtimes start the JVM with (heap sized from the function's memory).
        command.addAll(List.of("-XX:MaxHeapSize=1717986k", "-XX:+UseSerialGC", "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr", "--enable-native-access=ALL-UNNAMED",
                "-classpath", runtimeClasspath(), RUNTIME_MAIN, handler));
        Map<String, String> environment = new HashMap<>(env);
        environment.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        environment.put("_HANDLER", handler);
        environment.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        environment.put("AWS_LAMBDA_FUNCTION_NAME", "cato-route");
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048");
        environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", snapStart ? "snap-start" : "on-demand");
        environment.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_DEFAULT_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "AKIDLOCALTEST");
        environment.put("AWS_SECRET_ACCESS_KEY", "local-test-secret");
        environment.put("AWS_SESSION_TOKEN", "local-test-token");
        environment.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment.put("LANG", "en_US.UTF-8");
        environment.put("TZ", ":UTC");
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new LambdaProcess(builder.start(), log);
    }

    private static String runtimeClasspath() {
        List<String> jars = new ArrayList<>();
        for (String entry : CurrentJvm.classPath().split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (RUNTIME_JARS.stream().anyMatch(name::startsWith) && name.endsWith(".jar")) {
                jars.add(entry);
            }
        }
        if (jars.size() != RUNTIME_JARS.size()) {
            throw new IllegalStateException("the runtime's jars are not all on the test class path: " + jars);
        }
        return String.join(File.pathSeparator, jars);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; its exit status. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the function did not exit within " + seconds + " s\n" + output());
        }
        return process.exitValue();
    }

    /** What the function wrote to stdout and stderr (its CloudWatch log in Lambda). */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
