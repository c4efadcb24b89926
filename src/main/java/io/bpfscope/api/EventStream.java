package io.bpfscope.api;

import io.bpfscope.event.EventHub;
import io.bpfscope.event.Subscription;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One /events client, served on its own virtual thread: waits on its
 * subscription, encodes what matches, and writes in batches. When the
 * client reads slower than events come, its writes back up, its position in
 * the hub falls behind, and it alone loses events; it is told with one
 * {@code lost} message per gap.
 */
final class EventStream implements Subscription.Sink {

    private static final int BATCH = 1024;

    private final HttpServerResponse response;
    private final StreamRequest request;
    private final EventJson json;
    private final long heartbeatNanos;
    private final StringBuilder batch = new StringBuilder(64 * 1024);
    private volatile boolean closed;
    private CompletableFuture<Void> inFlight;
    private volatile Thread thread;

    EventStream(HttpServerResponse response, StreamRequest request, EventJson json, Duration heartbeat) {
        this.response = response;
        this.request = request;
        this.json = json;
        this.heartbeatNanos = heartbeat.toNanos();
    }

    /** Runs until the client goes away or the server stops. */
    void run(EventHub hub) {
        thread = Thread.currentThread();
        response.closeHandler(ignored -> close());
        response.exceptionHandler(ignored -> close());
        long from = request.resumeAfter() == StreamRequest.LIVE ? hub.nextSeq() : request.resumeAfter() + 1;
        try (Subscription subscription = hub.subscribe(from)) {
            send(": bpfscope events\n\n");
            long lastSent = System.nanoTime();
            while (!closed) {
                subscription.await(heartbeatNanos);
                while (!closed && subscription.drain(this, BATCH) > 0 || !batch.isEmpty()) {
                    if (!batch.isEmpty()) {
                        send(batch.toString());
                        batch.setLength(0);
                        lastSent = System.nanoTime();
                    }
                }
                if (!closed && System.nanoTime() - lastSent >= heartbeatNanos) {
                    send(": heartbeat\n\n");
                    lastSent = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        }
    }

    @Override
    public void event(EventHub.Slot slot) {
        if (request.matches(slot.event())) {
            batch.append("event: ").append(slot.event().type().wireName())
                    .append("\nid: ").append(slot.seq())
                    .append("\ndata: ").append(slot.encoded(json::encode))
                    .append("\n\n");
        }
    }

    @Override
    public void lost(long fromSeq, long count) {
        long lastMissed = fromSeq + count - 1;
        batch.append("event: lost\nid: ").append(lastMissed)
                .append("\ndata: {\"type\":\"lost\",\"count\":").append(count)
                .append(",\"fromId\":").append(fromSeq)
                .append(",\"toId\":").append(lastMissed)
                .append("}\n\n");
    }

    /**
     * Writes one batch once the previous one has reached the socket: one
     * batch in flight bounds what a client that stops reading can hold, and
     * the wait happens on this client's virtual thread alone.
     */
    private void send(String text) throws InterruptedException {
        CompletableFuture<Void> previous = inFlight;
        while (!closed && previous != null) {
            try {
                previous.get(100, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException stillWriting) {
                // re-check closed: a client that vanished never completes a write
            } catch (ExecutionException failed) {
                close();
            }
        }
        if (!closed) {
            inFlight = response.write(text).toCompletionStage().toCompletableFuture();
        }
    }

    private void close() {
        closed = true;
        Thread waiting = thread;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }
}
