package io.bpfscope.testing;

import io.bpfscope.buffer.RecordHandler;
import io.bpfscope.buffer.RecordSource;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Drains a record source on a platform thread, polling every millisecond,
 * until stopped: the tests' stand-in for the daemon's reader.
 */
public final class RingDrain implements AutoCloseable {

    private final RecordSource ring;
    private final RecordHandler handler;
    private final Thread thread;
    private volatile boolean running = true;

    public RingDrain(RecordSource ring, RecordHandler handler) {
        this.ring = ring;
        this.handler = handler;
        this.thread = Thread.ofPlatform().name("drain-" + ring.name()).start(this::loop);
    }

    private void loop() {
        while (running) {
            if (ring.consume(handler) == 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it held. */
    public static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Stops the thread, then hands over what is left in the ring. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        ring.consume(handler);
    }
}
