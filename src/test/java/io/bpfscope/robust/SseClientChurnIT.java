package io.bpfscope.robust;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Command;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.ExecLoop;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.ProcessStats;
import io.bpfscope.testing.Scrape;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /events clients that vanish mid-stream, a thousand at a time, while execs
 * flow: half reset their connection (SO_LINGER 0, an RST), half close it
 * plainly (a FIN), after they stopped reading long enough for the daemon's
 * writes to back up. The daemon must notice every one, and keep no
 * descriptor, thread or memory of them.
 */
class SseClientChurnIT {

    private static final int CLIENTS = 1000;
    private static final long MIB = 1 << 20;
    private static final String DIRECT_BUFFERS = "jvm_buffer_memory_used_bytes{id=\"direct\"}";
    private static final byte[] REQUEST = "GET /events?type=exec HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void aThousandClientsVanishingMidStreamLeaveNoDescriptorThreadOrMemoryBehind(@TempDir Path state) throws Exception {
        // The heap is committed and touched whole from the start, so that its growth cannot hide
        // (or fake) memory kept outside it: a leak of direct buffers or native memory.
        try (Daemon daemon = Daemon.listening(state, "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
             ExecLoop execs = ExecLoop.start()) {
            long pid = daemon.process().pid();

            // A first round warms up what a long-running daemon has warmed up anyway: JIT-compiled
            // code, the heap grown to its working size, Netty's buffer pools, carrier threads.
            churn(daemon);
            ProcessStats before = trimmed(pid);
            double directBefore = Scrape.sample(daemon, DIRECT_BUFFERS);
            churn(daemon);
            churn(daemon);
            ProcessStats after = trimmed(pid);
            double directAfter = Scrape.sample(daemon, DIRECT_BUFFERS);

            // Something kept per client would show as two thousand descriptors or threads; the slack
            // is what a JVM changes by itself (a descriptor the scrape opens on /proc, a JIT compiler
            // or GC thread started or retired). Memory: the two rounds stream about 100 MiB, which
            // buffers never returned to their pool keep whole; the bounds sit between what a sound
            // daemon and one that keeps them were seen to grow by
            // (bench/results/2026-12-04-0400-figures-behind-test-bounds.md).
            assertThat(after.fds()).as("open descriptors, before: %s", before).isLessThanOrEqualTo(before.fds() + 4);
            assertThat(after.threads()).as("threads, before: %s", before).isLessThanOrEqualTo(before.threads() + 4);
            assertThat(directAfter).as("bytes of direct buffers, before: %s", directBefore)
                    .isLessThanOrEqualTo(directBefore + 16 * MIB);
            assertThat(after.rssKb()).as("VmRSS in kB, before: %s", before).isLessThanOrEqualTo(before.rssKb() + 32 * 1024);
            Scrape.assertServing(daemon);
        }
    }

    /**
     * The daemon's figures once its C heap has handed free memory back to the
     * system: what it keeps, without the allocator's slack (the JIT's freed
     * compile arenas alone come and go by tens of MiB).
     */
    private static ProcessStats trimmed(long pid) {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        Command.run(Path.of("."), List.of(jcmd.toString(), Long.toString(pid), "System.trim_native_heap"));
        return ProcessStats.of(pid);
    }

    /** Connects {@link #CLIENTS} clients, lets each read into the stream, then drops them all. */
    private static void churn(Daemon daemon) throws Exception {
        List<Socket> clients = new ArrayList<>(CLIENTS);
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Socket client = new Socket();
                client.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
                client.setSoTimeout(10_000);
                client.getOutputStream().write(REQUEST);
                clients.add(client);
            }
            for (Socket client : clients) {
                readUntil(client.getInputStream(), "event: exec");
            }
            assertThat(Scrape.sample(daemon, "bpfscope_sse_clients")).as("clients connected").isEqualTo(CLIENTS);
            // Nobody reads for a while: the daemon's socket buffers fill and its writes stay in flight.
            Thread.sleep(500);
        } finally {
            for (int i = 0; i < clients.size(); i++) {
                if (i % 2 == 0) {
                    clients.get(i).setSoLinger(true, 0);
                }
                clients.get(i).close();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double connected;
        while ((connected = Scrape.sample(daemon, "bpfscope_sse_clients")) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(connected).as("bpfscope_sse_clients 10 s after every client went away").isZero();
    }

    /** Reads until {@code marker} has gone by: the client is in the middle of the stream. */
    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (seen.indexOf(marker) < 0) {
            int n = in.read(buffer);
            assertThat(n).as("stream open until %s", marker).isPositive();
            seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
    }
}
