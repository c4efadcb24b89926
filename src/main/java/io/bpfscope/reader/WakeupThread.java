package io.bpfscope.reader;

import io.bpfscope.libbpf.Epoll;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The one platform thread that blocks in native code: epoll on every
 * source's wakeup descriptors, so no virtual thread's carrier ever does.
 *
 * <p>Programs do not wake the reader per record (that costs more than the
 * syscall traced); they wake it when records follow a quiet spell or the
 * buffer fills up, and in between this thread looks every poll interval.
 * While every ring buffer is empty it waits for the kernel alone: an idle
 * node costs no periodic wakeups. Perf buffers wake only at their
 * watermark, so with them this thread always looks every poll interval.
 */
public final class WakeupThread implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WakeupThread.class);

    private final List<SourceReader> readers;
    private final int intervalMillis;
    private final int idleMillis;
    private final Epoll epoll = new Epoll();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * {@code idleTimeout}: how long to wait while every buffer is empty. Long
     * when the programs wake the reader for the first record after a quiet
     * spell (a lost wakeup then costs at most this), the poll interval when
     * they do not.
     */
    public WakeupThread(List<SourceReader> readers, Duration pollInterval, Duration idleTimeout) {
        this.readers = List.copyOf(readers);
        this.intervalMillis = (int) Math.max(1, pollInterval.toMillis());
        this.idleMillis = (int) Math.max(intervalMillis, idleTimeout.toMillis());
        for (int i = 0; i < this.readers.size(); i++) {
            for (int fd : this.readers.get(i).source().wakeupFds()) {
                epoll.add(fd, i);
            }
        }
        this.thread = Thread.ofPlatform().daemon().name("bpfscope-wakeups").start(this::run);
    }

    private void run() {
        int timeout = idleMillis;
        while (running) {
            try {
                epoll.await(timeout, token -> {
                    if (token >= 0) {
                        readers.get((int) token).wake();
                    }
                });
                boolean anyPending = false;
                for (SourceReader reader : readers) {
                    if (reader.source().pending() > 0) {
                        reader.wake();
                        anyPending = true;
                    }
                }
                timeout = anyPending ? intervalMillis : idleMillis;
            } catch (RuntimeException e) {
                LOG.errorf(e, "waiting for buffer wakeups failed");
                timeout = intervalMillis;
            }
        }
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        epoll.interrupt();
        thread.join();
        epoll.close();
    }
}
