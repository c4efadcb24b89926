package io.bpfscope.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An action run every {@code period} on a platform thread of its own, on an
 * absolute schedule (a late run does not shift the ones after it: the next
 * follows at once), until stopped. What the action throws ends the runs and
 * is thrown again by {@link #stop}.
 */
final class FixedRate implements AutoCloseable {

    /** One run of the action. */
    interface Action {
        void run() throws Exception;
    }

    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private volatile Exception failure;

    private FixedRate(String name, Duration period, Action action) {
        this.thread = Thread.ofPlatform().name(name).daemon().start(() -> loop(period.toNanos(), action));
    }

    static FixedRate start(String name, Duration period, Action action) {
        return new FixedRate(name, period, action);
    }

    private void loop(long period, Action action) {
        long due = System.nanoTime();
        try {
            do {
                action.run();
                due += period;
            } while (!stopping.await(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (Exception e) {
            failure = e;
        }
    }

    /** Ends the runs once the current one is done; fails with what the action threw, if it did. */
    void stop() throws InterruptedException {
        stopping.countDown();
        thread.join();
        if (failure != null) {
            throw new HarnessFailure(thread.getName() + " failed: " + failure);
        }
    }

    @Override
    public void close() {
        stopping.countDown();
    }
}
