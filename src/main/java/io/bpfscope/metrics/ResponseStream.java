package io.bpfscope.metrics;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A chunked HTTP response body written from a worker thread, a chunk at a
 * time: a full node's exposition is megabytes, and held whole it would take
 * that much of a small heap at every scrape. A client slower than the chunks
 * makes the writer wait (Vert.x's write queue full), so what waits in memory
 * stays bounded; one that takes nothing for {@code patience} fails it.
 */
final class ResponseStream extends OutputStream {

    private static final int CHUNK_BYTES = 64 * 1024;

    private final HttpServerResponse response;
    private final Duration patience;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int filled;

    ResponseStream(HttpServerResponse response, Duration patience) {
        this.response = response;
        this.patience = patience;
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == chunk.length) {
            send();
        }
        chunk[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == chunk.length) {
                send();
            }
            int taken = Math.min(length, chunk.length - filled);
            System.arraycopy(bytes, offset, chunk, filled, taken);
            filled += taken;
            offset += taken;
            length -= taken;
        }
    }

    /** Sends what is left and ends the response. */
    @Override
    public void close() throws IOException {
        send();
        response.end();
    }

    private void send() throws IOException {
        if (filled == 0) {
            return;
        }
        awaitRoom();
        response.write(Buffer.buffer(filled).appendBytes(chunk, 0, filled));
        filled = 0;
    }

    private void awaitRoom() throws IOException {
        if (!response.writeQueueFull()) {
            return;
        }
        CountDownLatch drained = new CountDownLatch(1);
        response.drainHandler(ignored -> drained.countDown());
        try {
            // The queue may have drained before the handler was set.
            if (response.writeQueueFull() && !drained.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the scraper took nothing for " + patience);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the scraper was behind");
        }
    }
}
