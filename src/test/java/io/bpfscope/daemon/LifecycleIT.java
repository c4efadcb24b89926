package io.bpfscope.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.ExpectedPaths;
import io.bpfscope.testing.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the packaged daemon: by SIGTERM with clients attached, by SIGKILL, and twenty times in a row. */
class LifecycleIT {

    private static final Duration START = Duration.ofSeconds(30);
    /** Files of tracefs that would show a probe or event someone left behind. */
    private static final List<String> TRACEFS_STATE = List.of("dynamic_events", "uprobe_events", "set_event");

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    /** The BPF programs and maps a daemon's process holds descriptors of. */
    private record Held(Set<Long> programs, Set<Long> maps) {

        static Held by(Daemon daemon) throws InterruptedException {
            daemon.awaitListening(START);
            long pid = daemon.process().pid();
            return new Held(Kernel.programIdsHeldBy(pid), Kernel.mapIdsHeldBy(pid));
        }

        void assertGone() {
            Kernel.assertUnloaded(programs);
            Kernel.assertMapsGone(maps);
        }
    }

    @Test
    void sigtermEndsEveryStreamWithALastCommentUnloadsAndExitsWithinFiveSeconds(@TempDir Path state) throws Exception {
        try (Daemon daemon = Daemon.start(List.of(), state)) {
            Held held = Held.by(daemon);
            try (Socket stream = openStream(daemon)) {
                InputStream in = stream.getInputStream();
                String opening = readUntil(in, ": bpfscope events");
                assertThat(opening).startsWith("HTTP/1.1 200");

                long signalled = System.nanoTime();
                daemon.process().destroy();
                String rest = readUntil(in, null);
                int status = daemon.awaitExit(Duration.ofSeconds(5));
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);

                assertThat(rest).as("the stream's end").contains(": bpfscope is stopping").endsWith("0\r\n\r\n");
                assertThat(status).as("exit status after SIGTERM").isZero();
                assertThat(tookMillis).as("ms from SIGTERM to exit").isLessThan(5_000);
            }
            assertThat(daemon.output()).contains("detached and unloaded bpfscope's programs");
            held.assertGone();
        }
    }

    @Test
    void afterSigkillTheKernelHoldsNoneOfItsProgramsOrMaps(@TempDir Path state) throws Exception {
        try (Daemon daemon = Daemon.start(List.of(), state)) {
            Held held = Held.by(daemon);
            assertThat(held.programs()).hasSize(ExpectedPaths.here().programs().size());
            assertThat(held.maps()).isNotEmpty();

            daemon.process().destroyForcibly();
            assertThat(daemon.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

            // Nothing is pinned, so the descriptors the dead process held were the last references.
            held.assertGone();
        }
    }

    @Test
    void twentyRestartsLeaveNoProgramMapDescriptorOrTracefsStateBehind(@TempDir Path state) throws Exception {
        Held all = new Held(new HashSet<>(), new HashSet<>());
        List<String> tracefsBefore = tracefsState();
        for (int i = 0; i < 20; i++) {
            try (Daemon daemon = Daemon.start(List.of(), state)) {
                Held held = Held.by(daemon);
                all.programs().addAll(held.programs());
                all.maps().addAll(held.maps());
                assertThat(daemon.terminate(Duration.ofSeconds(5))).as("exit status of run %d", i + 1).isZero();
            }
        }

        assertThat(all.programs()).hasSize(20 * ExpectedPaths.here().programs().size());
        all.assertGone();
        Set<Long> attached = new HashSet<>();
        Kernel.bpftool("perf", "show").forEach(event -> attached.add(event.path("prog_id").asLong()));
        assertThat(attached).as("programs still on a tracepoint's perf event").doesNotContainAnyElementsOf(all.programs());
        assertThat(tracefsState()).isEqualTo(tracefsBefore);
    }

    private static Socket openStream(Daemon daemon) throws IOException {
        Socket socket = new Socket("127.0.0.1", daemon.port());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write("GET /events?type=exec HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Reads until {@code marker} has arrived, or with none until the server closes the connection. */
    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((marker == null || !read.toString(StandardCharsets.UTF_8).contains(marker)) && (n = in.read(buffer)) > 0) {
            read.write(buffer, 0, n);
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    private static List<String> tracefsState() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String file : TRACEFS_STATE) {
            lines.addAll(Files.readAllLines(Path.of("/sys/kernel/tracing", file)));
        }
        return lines;
    }
}
