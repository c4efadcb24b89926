package io.bpfscope.robust;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.ProcessStats;
import io.bpfscope.testing.RawHttp;
import io.bpfscope.testing.Scrape;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris: clients that send their headers or their body a byte at a
 * time, or stop half-way. The daemon runs with the timeouts shortened from
 * 30 s and 10 s (application.properties) to 2 s and 3 s, so that the test
 * takes seconds; the mechanism is the same.
 */
class SlowClientsIT {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
    private static final String HEAD = "GET /q/health/ready HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    private static final String BODY = "POST /filters/pids HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100\r\n\r\n{\"pid\":";

    @TempDir
    static Path state;
    private static Daemon daemon;

    @BeforeAll
    static void start() throws Exception {
        Kernel.requireRoot();
        // Heartbeats must come more often than the idle timeout (checked at start-up).
        daemon = Daemon.listening(state, "-Dbpfscope.events.heartbeat=" + IDLE_TIMEOUT.toMillis() / 2 + "ms",
                "-Dquarkus.http.idle-timeout=" + IDLE_TIMEOUT.toMillis() + "ms",
                "-Dquarkus.http.read-timeout=" + READ_TIMEOUT.toMillis() + "ms");
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Test
    void aConnectionThatStopsInItsHeadersIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket client = open(HEAD)) {
            long start = System.nanoTime();

            RawHttp.Response response = RawHttp.read(client.getInputStream());

            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(response.status()).as("no answer to half a request").isZero();
            assertThat(waited).isBetween(IDLE_TIMEOUT.minusMillis(500), IDLE_TIMEOUT.plusSeconds(3));
        }
    }

    @Test
    void aBodyTrickledByteByByteGets408AfterTheReadTimeout() throws Exception {
        try (Socket client = open(BODY)) {
            long start = System.nanoTime();
            // A byte every 500 ms: never idle for the idle timeout, so only a deadline on the
            // whole body ends this.
            Thread trickle = Thread.ofVirtual().start(() -> trickle(List.of(client), Duration.ofMillis(500)));

            RawHttp.Response response = RawHttp.read(client.getInputStream());

            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            trickle.interrupt();
            assertThat(response.status()).as("status; body %s", response.text()).isEqualTo(408);
            assertThat(response.header("content-type")).isEqualTo("application/problem+json");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(waited).isBetween(READ_TIMEOUT.minusMillis(500), READ_TIMEOUT.plusSeconds(3));
            assertThat(client.getInputStream().read()).as("the connection is closed after the 408").isEqualTo(-1);
        }
        HttpResponse<String> filter = Scrape.get(daemon.uri("/filters/pids"));
        assertThat(filter.statusCode()).isEqualTo(200);
        assertThat(filter.body()).as("the filter after a refused body").contains("\"generation\":0");
    }

    @Test
    void hundredsOfSlowClientsHoldNoThreadsAndStopNobodyElse() throws Exception {
        long pid = daemon.process().pid();
        Scrape.assertServing(daemon);
        ProcessStats before = ProcessStats.of(pid);
        List<Socket> heads = new ArrayList<>();
        List<Socket> bodies = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                heads.add(open(HEAD));
                bodies.add(open(BODY));
            }
            List<Socket> all = new ArrayList<>(heads);
            all.addAll(bodies);
            Thread trickle = Thread.ofVirtual().start(() -> trickle(all, Duration.ofMillis(300)));
            Thread.sleep(500);

            // Each body being read held a worker thread while the REST layer read it: 300 of
            // them starved the 200 workers, and the API and the scrape stopped answering.
            ProcessStats during = ProcessStats.of(pid);
            for (int i = 0; i < 5; i++) {
                for (String path : List.of("/filters/pids", "/q/metrics", "/q/health/ready")) {
                    long start = System.nanoTime();
                    assertThat(Scrape.get(daemon.uri(path)).statusCode()).as("GET %s", path).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("GET %s", path)
                            .isLessThan(Duration.ofSeconds(1));
                }
            }
            assertThat(during.threads()).as("threads with 600 slow clients, before: %s", before)
                    .isLessThanOrEqualTo(before.threads() + 8);

            // Bodies get their 408 at the read timeout, trickle as they may. Heads that go on
            // trickling are bounded by the header limit, not by a clock (README, Limits); once
            // they stop, the idle timeout ends them.
            for (Socket body : bodies) {
                assertThat(RawHttp.read(body.getInputStream()).status()).isEqualTo(408);
            }
            trickle.interrupt();
            trickle.join();
            for (Socket head : heads) {
                assertClosedByTheDaemon(head);
            }
        } finally {
            for (Socket socket : heads) {
                socket.close();
            }
            for (Socket socket : bodies) {
                socket.close();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessStats.of(pid).fds() > before.fds() + 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessStats.of(pid).fds()).as("open descriptors, before: %s", before).isLessThanOrEqualTo(before.fds() + 4);
    }

    private static Socket open(String start) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
        socket.setSoTimeout((int) (IDLE_TIMEOUT.plus(READ_TIMEOUT).toMillis() + 5000));
        socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Sends one more byte on every socket each {@code every} until interrupted. */
    private static void trickle(List<Socket> sockets, Duration every) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(every);
                for (Socket socket : sockets) {
                    try {
                        socket.getOutputStream().write('1');
                    } catch (IOException closedByTheDaemon) {
                        // its 408 came
                    }
                }
            }
        } catch (InterruptedException stop) {
            // done
        }
    }

    private static void assertClosedByTheDaemon(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertThat(in.read()).as("end of stream").isEqualTo(-1);
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("a stalled connection was still open " + socket.getSoTimeout() + " ms later");
        }
    }
}
