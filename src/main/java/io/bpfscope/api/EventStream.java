package io.bpfscope.api;

import io.bpfscope.event.EventHub;
import io.bpfscope.event.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final byte[] OPENING = ": bpfscope events\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServerResponse response;
    private final StreamRequest request;
    private final EventJson json;
    private final long heartbeatNanos;
    /** The messages of one write: encoded events, shared with the other clients. */
    private final List<byte[]> batch = new ArrayList<>(BATCH + 16);
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
            send(OPENING);
            long lastSent = System.nanoTime();
            while (!closed) {
                subscription.await(heartbeatNanos);
                while (!closed && subscription.drain(this, BATCH) > 0 || !batch.isEmpty()) {
                    if (!batch.isEmpty()) {
                        send(batch.toArray(byte[][]::new));
                        batch.clear();
                        lastSent = System.nanoTime();
                    }
                }
                if (!closed && System.nanoTime() - lastSent >= heartbeatNanos) {
                    send(HEARTBEAT);
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
            batch.add(slot.encoded(this::message));
        }
    }

    /** A whole SSE message for a slot: encoded once, sent to every client that wants it. */
    private byte[] message(EventHub.Slot slot) {
        return ("event: " + slot.event().type().wireName() + "\nid: " + slot.seq() + "\ndata: "
                + json.encode(slot.event()) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void lost(long fromSeq, long count) {
        long lastMissed = fromSeq + count - 1;
        batch.add(("event: lost\nid: " + lastMissed + "\ndata: {\"type\":\"lost\",\"count\":" + count
                + ",\"fromId\":" + fromSeq + ",\"toId\":" + lastMissed + "}\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes one batch once the previous one has reached the socket: one
     * batch in flight bounds what a client that stops reading can hold, and
     * the wait happens on this client's virtual thread alone.
     */
    private void send(byte[]... messages) throws InterruptedException {
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
            // One copy into one pooled direct buffer: the socket write needs direct memory
            // anyway, and a composite of a thousand small arrays costs more than the copy.
            int size = 0;
            for (byte[] message : messages) {
                size += message.length;
            }
            ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(size);
            for (byte[] message : messages) {
                out.writeBytes(message);
            }
            inFlight = response.write(Buffer.buffer(out)).toCompletionStage().toCompletableFuture();
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
