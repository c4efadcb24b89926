package io.bpfscope.reader;

import io.bpfscope.sys.Epoll;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The one platform thread that blocks in native code: epoll on every
 * source's wakeup descriptors, so no virtual thread's carrier ever does.
 *
 * <p>Programs do not wake the reader per record (that costs more than the
 * syscall traced); they wake it when records follow a quiet spell or the
 * buffer fills up. This thread wakes each reader at most once per that
 * reader's poll interval while records come, so they are read in batches,
 * but at once when they follow a quiet spell or fill a quarter of the
 * buffer. While every ring buffer is empty it waits for the kernel alone:
 * an idle node costs no periodic wakeups but a look at the programs' drop
 * counters every idle timeout, for drops of records that never reached a
 * buffer. Perf buffers wake only at their watermark, so with them this
 * thread always looks every idle timeout.
 */
public final class WakeupThread implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WakeupThread.class);

    private final List<SourceReader> readers;
    private final long[] intervalNanos;
    /** When each reader was last woken, in {@link System#nanoTime()} terms. */
    private final long[] wokenNanos;
    private final int idleMillis;
    private final Epoll epoll = new Epoll();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * {@code idleTimeout}: how long to wait while every buffer is empty. Long
     * when the programs wake the reader for the first record after a quiet
     * spell (a lost wakeup then costs at most this), a poll interval when
     * they do not.
     */
    public WakeupThread(List<SourceReader> readers, Duration idleTimeout) {
        this.readers = List.copyOf(readers);
        this.intervalNanos = this.readers.stream().mapToLong(reader -> reader.pollInterval().toNanos()).toArray();
        this.wokenNanos = new long[this.readers.size()];
        long now = System.nanoTime();
        for (int i = 0; i < wokenNanos.length; i++) {
            wokenNanos[i] = now - intervalNanos[i];
        }
        this.idleMillis = (int) Math.max(1, idleTimeout.toMillis());
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
                // The descriptors only say that records came: which readers are due is decided below.
                epoll.await(timeout, token -> { });
                timeout = wakeDue(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.errorf(e, "waiting for buffer wakeups failed");
                timeout = 1;
            }
        }
    }

    /**
     * Wakes the readers whose records have waited long enough, or whose
     * buffer is a quarter full; returns how long to wait before looking again.
     */
    private int wakeDue(long now) {
        long wait = Long.MAX_VALUE;
        for (int i = 0; i < readers.size(); i++) {
            SourceReader reader = readers.get(i);
            long pending = reader.source().pending();
            if (pending <= 0) {
                if (reader.lossesPending()) {
                    reader.wake();
                }
                continue;
            }
            long due = wokenNanos[i] + intervalNanos[i];
            if (now - due >= 0 || pending >= reader.source().capacity() / 4) {
                reader.wake();
                wokenNanos[i] = now;
                due = now + intervalNanos[i];
            }
            wait = Math.min(wait, due - now);
        }
        return wait == Long.MAX_VALUE ? idleMillis : (int) Math.max(1, (wait + 999_999) / 1_000_000);
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
