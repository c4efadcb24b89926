package io.bpfscope.attribution.cri;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * gRPC calls of the CRI's RuntimeService on a runtime's Unix socket. The
 * channel connects on the first call and again after the runtime restarts;
 * a call made while the runtime is away fails at once (UNAVAILABLE).
 */
public final class CriChannel implements AutoCloseable {

    private static final String SERVICE = "runtime.v1.RuntimeService/";
    /** Messages travel as bytes: {@link ProtoWriter} and {@link ProtoReader} give them their fields. */
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] message) {
            return new ByteArrayInputStream(message);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /**
     * One thread serves every CRI connection: a node has one or two
     * runtimes, asked once per new container. Netty's epoll transport is the
     * one with Unix sockets; it loads a native library it extracts to
     * java.io.tmpdir, so a tmpdir that forbids exec leaves it unavailable.
     */
    private static final class Loop {
        static final Optional<EventLoopGroup> GROUP = Epoll.isAvailable()
                ? Optional.of(new EpollEventLoopGroup(1, Thread.ofPlatform().name("bpfscope-cri-io").daemon().factory()))
                : Optional.empty();
    }

    private final Path socket;
    private final Optional<ManagedChannel> channel;

    public CriChannel(Path socket) {
        this.socket = socket;
        this.channel = Loop.GROUP.map(group -> NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .build());
    }

    public Path socket() {
        return socket;
    }

    /**
     * The answer to unary RPC {@code method}, or an exception once
     * {@code timeout} has passed. A runtime that was away is dialled again at
     * once, not after the channel's backoff: it is most likely back.
     */
    public ProtoReader call(String method, ProtoWriter request, Duration timeout) throws CriException {
        ManagedChannel channel = channel(method);
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
        try {
            return ProtoReader.of(ClientCalls.blockingUnaryCall(channel, method(method, MethodDescriptor.MethodType.UNARY),
                    CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS),
                    request.bytes()));
        } catch (StatusRuntimeException e) {
            throw new CriException(method, e.getStatus());
        }
    }

    /**
     * Calls server-streaming RPC {@code method} and hands each message to
     * {@code each}, until the runtime ends the stream (a normal return) or
     * the call fails (the runtime went away, or the channel was closed).
     */
    public void stream(String method, ProtoWriter request, Consumer<ProtoReader> each) throws CriException {
        ClientCall<byte[], byte[]> call = channel(method).newCall(method(method, MethodDescriptor.MethodType.SERVER_STREAMING),
                CallOptions.DEFAULT);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                try {
                    each.accept(ProtoReader.of(message));
                    call.request(1);
                } catch (RuntimeException e) {
                    call.cancel("cannot take a message of " + method, e);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.sendMessage(request.bytes());
        call.halfClose();
        call.request(1);
        Status status;
        try {
            status = closed.get();
        } catch (InterruptedException e) {
            call.cancel("interrupted", e);
            Thread.currentThread().interrupt();
            throw new CriException(method, Status.CANCELLED.withDescription("interrupted"));
        } catch (ExecutionException e) {
            throw new CriException(method, Status.fromThrowable(e.getCause()));
        }
        if (!status.isOk()) {
            throw new CriException(method, status);
        }
    }

    /** Ends every call going on, a stream's too. */
    @Override
    public void close() {
        channel.ifPresent(ManagedChannel::shutdownNow);
    }

    private ManagedChannel channel(String method) throws CriException {
        if (channel.isEmpty()) {
            throw new CriException(method, Status.UNAVAILABLE.withDescription("no Unix socket transport: "
                    + Epoll.unavailabilityCause() + " (the CRI's transport loads a native library from"
                    + " java.io.tmpdir, " + System.getProperty("java.io.tmpdir") + ", which must allow exec)"));
        }
        return channel.get();
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(SERVICE + name)
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }
}
