package io.cato.aws.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SDK clients a test class built, closed together once it is done: closing a Netty-based async
 * client waits about two seconds for its event loops to go quiet, so closing them one test at a
 * time would dominate the run.
 */
public final class SdkClientsToClose {
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    public <T extends AutoCloseable> T add(T client) {
        clients.add(client);
        return client;
    }

    public void closeAll() throws InterruptedException {
        List<Thread> closing = clients.stream().map(client -> Thread.ofVirtual().start(() -> {
            try {
                client.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).toList();
        for (Thread thread : closing) {
            thread.join();
        }
        clients.clear();
    }
}
