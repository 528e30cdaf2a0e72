package io.cato.aws.snapstart;

import io.cato.config.Settings;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Keeps a function's credentials out of its SnapStart snapshot. Lambda initialises a SnapStart
 * function, primes it and takes the snapshot before any request, and every environment restored
 * from that snapshot shares its memory: credentials resolved then would be in it, and shared. So
 * until the environment is restored, every AWS client signs with a placeholder key that grants
 * nothing (priming still runs the clients' marshalling, signing and connection code; AWS refuses
 * the call, DynamoDB Local and the stubs accept it), and work that needs real credentials at
 * start-up waits for {@link #restored()}.
 *
 * <p>The phase begins when a function's wiring calls {@link #beginSnapshotPhase()}, which it does when
 * its settings say Lambda is initialising it for a snapshot ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start});
 * anywhere else credentials are resolved as usual from the start. The phase is the process's, so it
 * is kept in one static field: every client built in the process shares it, as they share the snapshot.
 */
public final class SnapshotCredentials implements AwsCredentialsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCredentials.class);
    /** The access key id requests are signed with before the restore. */
    public static final String PLACEHOLDER_KEY_ID = "SNAPSHOTPLACEHOLDER";
    private static final AwsCredentials PLACEHOLDER = AwsBasicCredentials.create(PLACEHOLDER_KEY_ID, "none");

    private static final Object LOCK = new Object();
    private static volatile boolean beforeSnapshot;
    private static final List<Runnable> WAITING = new ArrayList<>();

    private final AwsCredentialsProvider real;

    private SnapshotCredentials(AwsCredentialsProvider real) {
        this.real = real;
    }

    /** Credentials from {@code real}, asked for only once the environment runs after its snapshot. */
    public static AwsCredentialsProvider around(AwsCredentialsProvider real) {
        return new SnapshotCredentials(real);
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return beforeSnapshot ? PLACEHOLDER : real.resolveCredentials();
    }

    /** True while the function is being initialised for a snapshot. */
    public static boolean beforeSnapshot() {
        return beforeSnapshot;
    }

    /** Runs {@code task} now, or, before the snapshot, once the environment is restored from it. */
    public static void whenRestored(Runnable task) {
        synchronized (LOCK) {
            if (beforeSnapshot) {
                WAITING.add(task);
                return;
            }
        }
        task.run();
    }

    /** The environment runs from its snapshot: credentials resolve from now on, and the waiting work runs. */
    public static void restored() {
        List<Runnable> tasks;
        synchronized (LOCK) {
            beforeSnapshot = false;
            tasks = List.copyOf(WAITING);
            WAITING.clear();
        }
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.atWarn().log(() -> "start-up work after the restore failed: " + e.getClass().getSimpleName());
            }
        }
    }

    /**
     * The process is being initialised for a snapshot: called first by a function's wiring when its settings
     * say so ({@code Settings.Lambda#snapStartInit}), before any AWS client is built.
     */
    public static void beginSnapshotPhase() {
        synchronized (LOCK) {
            beforeSnapshot = true;
        }
    }

    /** Begins the snapshot phase when {@code lambda} says the function is being initialised for one. */
    public static void beginIfInitialisingSnapshot(Settings.Lambda lambda) {
        if (lambda.snapStartInit()) {
            beginSnapshotPhase();
        }
    }
}
