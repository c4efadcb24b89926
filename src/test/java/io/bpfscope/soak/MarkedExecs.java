package io.bpfscope.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code /bin/true MARKER I} every {@code gap}, I counting from 0, on
 * its own thread until stopped: execs the test can tell apart from every
 * other exec on the machine.
 */
final class MarkedExecs implements AutoCloseable {

    private final String marker;
    private final Duration gap;
    private final AtomicInteger started = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private MarkedExecs(String marker, Duration gap) {
        this.marker = marker;
        this.gap = gap;
        this.thread = Thread.ofPlatform().name("marked-execs").start(this::loop);
    }

    static MarkedExecs start(String marker, Duration gap) {
        return new MarkedExecs(marker, gap);
    }

    private void loop() {
        try {
            while (running) {
                int i = started.get();
                Process process = new ProcessBuilder("/bin/true", marker, Integer.toString(i)).start();
                started.incrementAndGet();
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("/bin/true " + marker + " " + i + " failed");
                }
                Thread.sleep(gap);
            }
        } catch (IOException e) {
            failure = new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Stops the loop; returns how many execs it ran. */
    int stop() throws InterruptedException {
        running = false;
        thread.join(Duration.ofSeconds(10));
        assertThat(thread.isAlive()).as("exec loop stopped").isFalse();
        if (failure != null) {
            throw failure;
        }
        return started.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
