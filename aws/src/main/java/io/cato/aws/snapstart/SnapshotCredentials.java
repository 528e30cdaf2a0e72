package io.cato.aws.snapstart;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
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
 * <p>The phase is read from {@code AWS_LAMBDA_INITIALIZATION_TYPE}, which Lambda sets to
 * {@code snap-start} while it initialises a SnapStart function; anywhere else credentials are
 * resolved as usual from the start.
 */
public final class SnapshotCredentials implements AwsCredentialsProvider {
    private static final Logger LOG = Logger.getLogger(SnapshotCredentials.class.getName());
    /** The access key id requests are signed with before the restore. */
    public static final String PLACEHOLDER_KEY_ID = "SNAPSHOTPLACEHOLDER";
    private static final AwsCredentials PLACEHOLDER = AwsBasicCredentials.create(PLACEHOLDER_KEY_ID, "none");

    private static final Object LOCK = new Object();
    private static volatile boolean beforeSnapshot =
            "snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
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
                LOG.warning(() -> "start-up work after the restore failed: " + e.getClass().getSimpleName());
            }
        }
    }

    /** Puts the process back before its snapshot, as Lambda's SnapStart initialisation does; for tests. */
    static void enterSnapshotPhase() {
        synchronized (LOCK) {
            beforeSnapshot = true;
        }
    }
}
