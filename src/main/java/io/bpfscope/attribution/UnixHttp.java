package io.bpfscope.attribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * HTTP/1.1 GETs over a Unix domain socket, as container runtimes serve their
 * APIs: whole answers (inspect), and streams of newline-separated lines
 * (events), each with Content-Length or chunked bodies. The JDK's HTTP
 * client speaks TCP only.
 */
final class UnixHttp {

    /** An answer: its status and body. */
    record Response(int status, String body) {
    }

    /** The parts of an answer before its body. */
    private record Head(int status, boolean chunked, long length) {
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bpfscope-http-deadline").daemon().factory());

    private final Path socket;

    UnixHttp(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    /** The whole answer to GET {@code target}, or an exception once {@code timeout} has passed. */
    Response get(String target, Duration timeout) throws IOException {
        try (SocketChannel channel = open(target)) {
            // Closing the channel ends a blocked read: a hung server costs the caller no more than the timeout.
            ScheduledFuture<?> deadline = WATCHDOG.schedule(() -> close(channel), timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            try {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                Reader reader = new Reader(channel);
                Head head = reader.head();
                reader.body(head, body::writeBytes);
                return new Response(head.status, body.toString(StandardCharsets.UTF_8));
            } catch (AsynchronousCloseException e) {
                throw new IOException("no answer from " + socket + " within " + timeout.toMillis() + " ms", e);
            } finally {
                deadline.cancel(false);
            }
        }
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed is all that was wanted.
        }
    }

    /**
     * Streams the answer to GET {@code target}, a line at a time, until the
     * server ends it or {@code channel} is closed by another thread (which
     * ends this call with an exception).
     *
     * @return the status, when it was not 200 (no line is then given)
     */
    int stream(String target, Consumer<SocketChannel> opened, Consumer<String> line) throws IOException {
        try (SocketChannel channel = open(target)) {
            opened.accept(channel);
            Reader reader = new Reader(channel);
            Head head = reader.head();
            if (head.status != 200) {
                return head.status;
            }
            Lines lines = new Lines(line);
            reader.body(head, lines::add);
            return head.status;
        }
    }

    private SocketChannel open(String target) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer request = ByteBuffer.wrap(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "User-Agent: bpfscope\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Splits a body into lines across the chunks it comes in. */
    private static final class Lines {
        private final Consumer<String> line;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Lines(Consumer<String> line) {
            this.line = line;
        }

        void add(byte[] chunk) {
            for (byte b : chunk) {
                if (b == '\n') {
                    String text = pending.toString(StandardCharsets.UTF_8).strip();
                    pending.reset();
                    if (!text.isEmpty()) {
                        line.accept(text);
                    }
                } else {
                    pending.write(b);
                }
            }
        }
    }

    /** Reads an answer off the channel: the head, then the body as it comes. */
    private static final class Reader {
        private final SocketChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(16384).flip();

        Reader(SocketChannel channel) {
            this.channel = channel;
        }

        Head head() throws IOException {
            String status = line();
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + status);
            }
            boolean chunked = false;
            long length = -1;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).strip();
                if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                } else if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                }
            }
            try {
                return new Head(Integer.parseInt(parts[1]), chunked, length);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: " + status, e);
            }
        }

        void body(Head head, Consumer<byte[]> chunks) throws IOException {
            if (head.chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    bytes(size, chunks);
                    line();
                }
            } else if (head.length >= 0) {
                bytes(head.length, chunks);
            } else {
                while (fill()) {
                    chunks.accept(take(buffer.remaining()));
                }
            }
        }

        private long chunkSize() throws IOException {
            String size = line();
            int extension = size.indexOf(';');
            try {
                return Long.parseLong(extension < 0 ? size : size.substring(0, extension), 16);
            } catch (NumberFormatException e) {
                throw new IOException("not a chunk size: " + size, e);
            }
        }

        private void bytes(long count, Consumer<byte[]> chunks) throws IOException {
            for (long left = count; left > 0; ) {
                if (!buffer.hasRemaining() && !fill()) {
                    throw new IOException("the answer ended " + left + " bytes short");
                }
                int n = (int) Math.min(left, buffer.remaining());
                chunks.accept(take(n));
                left -= n;
            }
        }

        private byte[] take(int n) {
            byte[] bytes = new byte[n];
            buffer.get(bytes);
            return bytes;
        }

        /** A line ending in CRLF (or LF), without it. */
        private String line() throws IOException {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            while (true) {
                if (!buffer.hasRemaining() && !fill()) {
                    throw new IOException("the answer ended within a line");
                }
                byte b = buffer.get();
                if (b == '\n') {
                    String line = text.toString(StandardCharsets.ISO_8859_1);
                    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                }
                if (text.size() > 8192) {
                    throw new IOException("a line of the answer is longer than 8 KiB");
                }
                text.write(b);
            }
        }

        /** More bytes from the channel; false at its end. */
        private boolean fill() throws IOException {
            buffer.compact();
            try {
                return channel.read(buffer) >= 0;
            } finally {
                buffer.flip();
            }
        }
    }
}
