package io.cato.lambda;

import java.lang.management.ManagementFactory;

/** The JVM running the tests, whose executable and class path start the function processes. */
final class CurrentJvm {
    private CurrentJvm() {
    }

    static String executable() {
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("the running JVM's executable is unknown"));
    }

    static String classPath() {
        return ManagementFactory.getRuntimeMXBean().getClassPath();
    }
}
