package io.cato.route;

import io.cato.config.Settings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SnapStart step of initialisation, as the managed runtime's client performs it: run the CRaC
 * {@code beforeCheckpoint} hooks (priming), tell the Runtime API that init is done
 * ({@code restore/next}, which returns in the restored environment), then run the
 * {@code afterRestore} hooks. The hooks were registered through org.crac, which the managed
 * runtime points at its own context with {@code -Dorg.crac.Core.Compat}; that context is the one
 * run here, found the way org.crac finds it.
 */
final class SnapStartCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartCheckpoint.class);
    /** Loads the managed runtime client's native library (/var/runtime/lib/jni), which its context uses. */
    private static final String RUNTIME_JNI = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.JniHelper";
    /** The exit status the managed runtime's client uses for a failed checkpoint or restore. */
    private static final int HOOK_FAILED = 64;

    private SnapStartCheckpoint() {
    }

    static void take(LambdaRuntimeApi runtime, Settings.Lambda lambda) {
        Object context;
        try {
            context = runtimeContext(lambda);
            hook(context, "beforeCheckpoint");
            runtime.restoreNext();
        } catch (RuntimeException | ReflectiveOperationException e) {
            LOG.error("SnapStart: the checkpoint failed", e);
            runtime.initError(e);
            System.exit(HOOK_FAILED);
            return;
        }
        try {
            hook(context, "afterRestore");
        } catch (RuntimeException | ReflectiveOperationException e) {
            LOG.error("SnapStart: the restore failed", e);
            runtime.restoreError(e);
            System.exit(HOOK_FAILED);
        }
    }

    private static Object runtimeContext(Settings.Lambda lambda) throws ReflectiveOperationException {
        String compat = lambda.cracCompat().orElseThrow(() -> new IllegalStateException(
                "SnapStart init without -Dorg.crac.Core.Compat: the managed runtime's CRaC context is unknown"));
        // The runtime's context clears the JVM's DNS cache before the snapshot through the native library
        // its own client loads at start-up; this client does not use that library otherwise.
        Class.forName(RUNTIME_JNI).getMethod("load").invoke(null);
        return Class.forName(compat + ".Core").getMethod("getGlobalContext").invoke(null);
    }

    private static void hook(Object context, String name) throws ReflectiveOperationException {
        for (Method method : context.getClass().getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == 1) {
                try {
                    method.invoke(context, (Object) null);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException hookFailure) {
                        throw hookFailure;
                    }
                    // CheckpointException or RestoreException: the hooks' own failures are suppressed in it.
                    IllegalStateException failure = new IllegalStateException(name + " failed: " + e.getCause());
                    for (Throwable hook : e.getCause().getSuppressed()) {
                        failure.addSuppressed(hook);
                    }
                    throw failure;
                }
                return;
            }
        }
        throw new NoSuchMethodException(context.getClass().getName() + "." + name);
    }
}
