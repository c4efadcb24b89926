package io.bpfscope.api;

import io.bpfscope.event.EventHub;
import io.bpfscope.event.EventJson;
import io.bpfscope.event.Loss;
import io.bpfscope.event.LossStage;
import io.bpfscope.event.Subscription;
import io.bpfscope.eventid.IdSpace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * One /events client, served on its own virtual thread: waits on its
 * subscription, then sends what matches in runs of up to {@link #BATCH}
 * events, taken from {@link SharedRuns} when a client with the same filter
 * already encoded them, else encoded here and left there. When the client
 * reads slower than events come, its writes back up, its position in the
 * hub falls behind, and it alone loses events; it is told with one
 * {@code lost} message per gap. Losses before the hub reach it as
 * {@code lost} messages too, where they stand among the events. The opening
 * and every heartbeat carry the id of the position reached, so a client that
 * reconnects resumes there even when its filter let no event through.
 */
final class EventStream implements Subscription.Sink {

    private static final int BATCH = 1024;
    /** A run's first buffer: room for a typical burst; it grows for more. */
    private static final int RUN_BYTES = 64 * 1024;
    private static final String LOST = "lost";
    private static final String SAMPLED = "sampled";
    private static final long NOTICE_NANOS = 1_000_000_000L;
    private static final byte[] FAREWELL = ": bpfscope is stopping\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServerResponse response;
    private final StreamRequest request;
    private final EventJson json;
    private final IdSpace ids;
    private final SharedRuns shared;
    private final long heartbeatNanos;
    private final Function<EventHub.Slot, byte[]> encoder = this::message;
    /** The run being encoded by {@link #event}, {@link #loss} and {@link #lost}; null until its first message. */
    private ByteBuf run;
    /** Whether the run holds what another client with the same filter might not be sent: a gap, a loss. */
    private boolean runOwn;
    private volatile boolean closed;
    /** The server is stopping: send what is there, then the farewell, then end. */
    private volatile boolean finishing;
    private CompletableFuture<Void> inFlight;
    /** When bytes last went to the client, in {@link System#nanoTime()} terms. */
    private volatile long lastWriteNanos;
    private volatile Thread thread;
    /** maxRate: the events this client's rate turned away, told at most once a second. */
    private final RatePacer pacer;
    private long runNanos;
    private long sampledToldNanos;

    EventStream(HttpServerResponse response, StreamRequest request, EventJson json, IdSpace ids, SharedRuns shared,
            Duration heartbeat) {
        this.response = response;
        this.request = request;
        this.json = json;
        this.ids = ids;
        this.shared = shared;
        this.heartbeatNanos = heartbeat.toNanos();
        this.pacer = new RatePacer(request.maxRate(), System.nanoTime());
    }

    /** Runs until the client goes away or the server stops. */
    void run(EventHub hub) {
        thread = Thread.currentThread();
        response.closeHandler(ignored -> close());
        response.exceptionHandler(ignored -> close());
        IdSpace.Resume resume = request.resumeAfter() == StreamRequest.LIVE
                ? new IdSpace.Resume(hub.nextSeq(), Optional.empty())
                : ids.resume(request.resumeAfter(), hub.nextSeq());
        try (Subscription subscription = hub.subscribe(resume.fromSeq())) {
            send(position(": bpfscope events", subscription));
            if (resume.missed().isPresent()) {
                IdSpace.MissedWindow missed = resume.missed().get();
                send(lostMessage(missed.toId(), json.window(LossStage.DAEMON, missed.reason(), -1, missed.fromId(),
                        missed.toId())));
            }
            while (!closed && !finishing) {
                // A heartbeat is due after heartbeat-long silence on the wire, whether or not
                // events passed by that this client's filter let through.
                boolean read = sendRun(subscription);
                if (System.nanoTime() - lastWriteNanos >= heartbeatNanos) {
                    byte[] sampled = sampledMessage(subscription, System.nanoTime());
                    if (sampled != null) {
                        send(sampled);
                    }
                    send(position(": heartbeat", subscription));
                } else if (!read) {
                    subscription.await();
                }
            }
            if (finishing) {
                send(FAREWELL);
                awaitInFlight();
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

    /** Sends the next run, shared or encoded here (maybe empty); false when there was nothing to read. */
    private boolean sendRun(Subscription subscription) throws InterruptedException {
        long from = subscription.cursor();
        // A paced client's runs are its own: which events its rate lets through is its alone.
        boolean paced = request.maxRate() > 0;
        SharedRuns.Run taken = paced ? null : shared.take(request.filter(), from);
        if (taken != null) {
            subscription.advance(taken.to());
            send(taken.bytes());
            return true;
        }
        run = null;
        runOwn = false;
        runNanos = System.nanoTime();
        int handed;
        try {
            handed = subscription.drain(this, BATCH);
            byte[] sampled = paced && runNanos - sampledToldNanos >= NOTICE_NANOS ? sampledMessage(subscription, runNanos)
                    : null;
            if (sampled != null) {
                runOwn = true;
                run().writeBytes(sampled);
            }
        } catch (RuntimeException e) {
            if (run != null) {
                run.release();
                run = null;
            }
            throw e;
        }
        ByteBuf encoded = run == null ? Unpooled.EMPTY_BUFFER : run;
        run = null;
        if (handed == 0 && !runOwn) {
            encoded.release();
            return false;
        }
        if (paced && encoded.readableBytes() == 0) {
            // Every event of the run was turned away: nothing to send, but the cursor moved.
            encoded.release();
            return true;
        }
        if (!runOwn && !paced) {
            shared.offer(request.filter(), from, subscription.cursor(), encoded);
        }
        send(encoded);
        return true;
    }

    @Override
    public void event(EventHub.Slot slot) {
        if (request.filter().matches(slot.message()) && pacer.allow(runNanos)) {
            run().writeBytes(slot.encoded(encoder));
        }
    }

    /**
     * The {@code sampled} message for the events maxRate turned away since the
     * last one; null when none was. Told at most once a second with a run, and
     * with the heartbeat when events stopped coming.
     */
    private byte[] sampledMessage(Subscription subscription, long now) {
        long skipped = pacer.takeSkipped();
        if (skipped == 0) {
            return null;
        }
        sampledToldNanos = now;
        return ("event: " + SAMPLED + "\nid: " + ids.id(subscription.cursor() - 1) + "\ndata: {\"type\":\"" + SAMPLED
                + "\",\"skipped\":" + skipped + ",\"maxRate\":" + request.maxRate() + "}\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A whole SSE message for a slot: encoded once, sent to every client that wants it. */
    private byte[] message(EventHub.Slot slot) {
        String name = slot.message() instanceof Loss ? LOST : slot.message().type().wireName();
        return ("event: " + name + "\nid: " + ids.id(slot.seq()) + "\ndata: " + json.encode(slot.message()) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void loss(EventHub.Slot slot, long untold) {
        // Another client may have been told of it at a gap: its run would differ.
        runOwn = true;
        Loss loss = (Loss) slot.message();
        if (untold == 0 || !request.filter().matches(loss)) {
            return;
        }
        if (untold == loss.count()) {
            run().writeBytes(slot.encoded(encoder));
        } else {
            run().writeBytes(lostMessage(ids.id(slot.seq()), json.encode(loss.told(untold))));
        }
    }

    @Override
    public void lost(long fromSeq, long count, List<Loss> untold) {
        long lastMissed = fromSeq + count - 1;
        runOwn = true;
        run().writeBytes(lostMessage(ids.id(lastMissed), json.window(LossStage.CLIENT, "overwritten", count,
                ids.id(fromSeq), ids.id(lastMissed))));
        for (Loss loss : untold) {
            if (request.filter().matches(loss)) {
                run().writeBytes(lostMessage(ids.id(lastMissed), json.encode(loss)));
            }
        }
    }

    /**
     * The run's buffer, taken from the pool at its first message: a paced
     * client turns away nearly every run whole, and wants none.
     */
    private ByteBuf run() {
        if (run == null) {
            run = PooledByteBufAllocator.DEFAULT.directBuffer(RUN_BYTES);
        }
        return run;
    }

    private static byte[] lostMessage(long id, String data) {
        return ("event: " + LOST + "\nid: " + id + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A comment, with the id of the position the subscription reached: a client resumes after it. */
    private byte[] position(String comment, Subscription subscription) {
        return (comment + "\nid: " + ids.id(subscription.cursor() - 1) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private void send(byte[] message) throws InterruptedException {
        send(PooledByteBufAllocator.DEFAULT.directBuffer(message.length).writeBytes(message));
    }

    /**
     * Writes {@code bytes} once the previous write has reached the socket,
     * and releases them after: one write in flight bounds what a client that
     * stops reading can hold, and the wait happens on this client's virtual
     * thread alone. (Vert.x hands Netty an unreleasable view of a buffer it
     * did not allocate, so the release is ours.)
     */
    private void send(ByteBuf bytes) throws InterruptedException {
        awaitInFlight();
        if (closed || bytes.readableBytes() == 0) {
            bytes.release();
            return;
        }
        try {
            lastWriteNanos = System.nanoTime();
            inFlight = response.write(Buffer.buffer(bytes))
                    .onComplete(ignored -> bytes.release())
                    .toCompletionStage().toCompletableFuture();
        } catch (RuntimeException responseGone) {
            bytes.release();
            close();
        }
    }

    /** Waits until the last write reached the socket, or the client is gone. */
    private void awaitInFlight() throws InterruptedException {
        CompletableFuture<Void> previous = inFlight;
        while (!closed && previous != null) {
            try {
                previous.get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillWriting) {
                // re-check closed: a client that vanished never completes a write
            } catch (ExecutionException failed) {
                close();
            }
        }
    }

    /** Wakes the stream if nothing went to its client for a heartbeat; {@link OpenStreams}' timer calls it. */
    void wakeIfQuiet(long now) {
        if (now - lastWriteNanos >= heartbeatNanos) {
            wakeUp();
        }
    }

    /** Asks the stream to end: it sends what it has read, a last comment, and ends the response. */
    void finish() {
        finishing = true;
        wakeUp();
    }

    private void close() {
        closed = true;
        wakeUp();
    }

    private void wakeUp() {
        Thread waiting = thread;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }
}
