package io.bpfscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.buffer.RecordSource;
import io.bpfscope.event.WriteEvent;
import io.bpfscope.filter.PidFilterMap;
import io.bpfscope.testing.Cgroup2;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.WriteSizes;
import io.bpfscope.testing.Writer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write program, attached in the real kernel: exact counts for everyone, records for traced PIDs. */
class WriteProbeTest {

    private static final int WRITES = 100_000;
    private static final int BYTES = 37;

    private static WriteProbe probe;
    private static PidFilterMap filter;
    private static RecordSource ring;

    @BeforeAll
    static void attach() {
        Kernel.requireRoot();
        // Room for every record of one writer even if the drain stalls: this test is about what the
        // kernel side emits; keeping up under load is the reader's job (bench/ proves that).
        probe = Kernel.writeProbe(Map.of("bpfscope.write.buffer-bytes", "16777216"));
        filter = new PidFilterMap(probe);
        ring = probe.events();
        probe.attach();
    }

    @AfterAll
    static void detach() {
        ring.close();
        probe.close();
    }

    @BeforeEach
    void emptyFilter() {
        filter.replace(Set.of());
        ring.consume((memory, offset, length) -> { });
    }

    @Test
    void countsEveryWriteOfAnUntracedProcessExactly() throws Exception {
        Queue<WriteEvent> events = new ConcurrentLinkedQueue<>();
        try (Writer writer = Writer.prepare(WRITES, BYTES);
             RingDrain drain = new RingDrain(ring, (m, o, l) -> events.add(WriteEvent.decode(m, o, l)))) {
            writer.run();
            drain.close();

            assertThat(probe.counts().read()).containsEntry(onHost(writer), WriteSizes.uniform(WRITES, BYTES));
            assertThat(events).noneMatch(event -> event.pid() == writer.pid());
        }
    }

    @Test
    void countsAndStreamsEveryWriteOfATracedProcess() throws Exception {
        long droppedBefore = probe.drops(DropReason.BUFFER_FULL);
        Queue<WriteEvent> events = new ConcurrentLinkedQueue<>();
        try (Writer writer = Writer.prepare(WRITES, BYTES)) {
            filter.replace(Set.of(writer.pid()));
            try (RingDrain drain = new RingDrain(ring, (m, o, l) -> {
                WriteEvent event = WriteEvent.decode(m, o, l);
                if (event.pid() == writer.pid() && event.comm().equals(writer.comm())) {
                    events.add(event);
                }
            })) {
                writer.run();
            }

            assertThat(probe.counts().read()).containsEntry(onHost(writer), WriteSizes.uniform(WRITES, BYTES));
            assertThat(probe.drops(DropReason.BUFFER_FULL)).isEqualTo(droppedBefore);
            assertThat(events).hasSize(WRITES);
            WriteEvent first = events.peek();
            assertThat(first.tid()).isEqualTo(writer.pid());
            assertThat(first.fd()).isEqualTo(1);
            assertThat(first.count()).isEqualTo(BYTES);
            assertThat(first.comm()).isEqualTo(writer.comm());
            assertThat(first.bootNs()).isPositive();
            assertThat(events).allMatch(e -> e.count() == BYTES && e.comm().equals(writer.comm()));
            if (probe.mode() == BufferMode.RINGBUF) {
                // One ring for all CPUs keeps the order of the writes; perf buffers keep it per CPU
                // only, and the writer may move between CPUs.
                assertThat(events).extracting(WriteEvent::bootNs).isSorted();
            }
        }
    }

    /**
     * Each CPU caches the last thread that wrote there; three processes taking turns on one CPU
     * (each switch a change of thread under the cache) are each counted and filtered as themselves.
     */
    @Test
    void writersTakingTurnsOnOneCpuAreEachCountedAndFilteredAsThemselves() throws Exception {
        int cpu = Writer.firstAllowedCpu();
        Queue<WriteEvent> events = new ConcurrentLinkedQueue<>();
        try (Writer traced = Writer.prepareOnCpu(cpu, WRITES, 3);
             Writer first = Writer.prepareOnCpu(cpu, WRITES, 5);
             Writer second = Writer.prepareOnCpu(cpu, WRITES, 7)) {
            filter.replace(Set.of(traced.pid()));
            try (RingDrain drain = new RingDrain(ring, (m, o, l) -> {
                WriteEvent event = WriteEvent.decode(m, o, l);
                if (event.comm().startsWith("bpfsw")) {
                    events.add(event);
                }
            })) {
                first.release();
                second.release();
                traced.run();
                first.run();
                second.run();
            }

            assertThat(probe.counts().read())
                    .containsEntry(onHost(traced), WriteSizes.uniform(WRITES, 3))
                    .containsEntry(onHost(first), WriteSizes.uniform(WRITES, 5))
                    .containsEntry(onHost(second), WriteSizes.uniform(WRITES, 7));
            assertThat(events).hasSize(WRITES).allMatch(e -> e.pid() == traced.pid() && e.count() == 3);
        }
    }

    @Test
    void filterInTheKernelIsTheFilterWritten() {
        filter.replace(Set.of(1, 63, 64, 4_194_303));
        assertThat(filter.kernelPids()).containsExactly(1, 63, 64, 4_194_303);
        filter.replace(Set.of(2));
        assertThat(filter.kernelPids()).containsExactly(2).isEqualTo(filter.pids());
        filter.replace(Set.of());
        assertThat(filter.kernelPids()).isEmpty();
    }

    @Test
    void pidsOutsideTheBitmapAreRefusedAndChangeNothing() {
        filter.replace(Set.of(5));

        assertThatThrownBy(() -> filter.replace(Set.of(6, 0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pid 0 is outside 1..4194303");
        assertThatThrownBy(() -> filter.replace(Set.of(PidFilterMap.PID_LIMIT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(filter.kernelPids()).containsExactly(5);
    }

    @Test
    void commsPastTheCapAreCountedAsOther() throws Exception {
        try (WriteProbe capped = Kernel.writeProbe(Map.of("bpfscope.write.max-series", "1"))) {
            capped.attach();
            try (Writer writer = Writer.prepare(1000, 2)) {
                writer.run();
                Map<WriteCounts.Writer, WriteCount> counts = capped.counts().read();

                WriteCounts.Writer other = new WriteCounts.Writer(WriteCounts.OTHER, 0);
                assertThat(counts.keySet()).hasSizeLessThanOrEqualTo(2).contains(other);
                if (!counts.containsKey(onHost(writer))) {
                    assertThat(counts.get(other).calls()).isGreaterThanOrEqualTo(1000);
                }
            }
        }
    }

    /**
     * A command counts apart in each cgroup it writes in; a process moved to
     * another cgroup after its first write counts its later writes there,
     * and the slots of a cgroup that is gone serve again once retired.
     */
    @Test
    void writesCountByCgroupFollowAMoveAndFreeTheirSlotsWhenRetired() throws Exception {
        String comm = "bpfmv" + Long.toHexString(System.nanoTime() & 0xffffffL);
        Path dir = Files.createTempDirectory("bpfscope-mover");
        Path shell = Files.createSymbolicLink(dir.resolve(comm), Path.of("/bin/sh"));
        try (Cgroup2 cgroup = Cgroup2.make("bpfscope-test-" + comm + "/app")) {
            Process mover = new ProcessBuilder(shell.toString(), "-c",
                    "echo first >/dev/null; read go; i=0; while [ $i -lt 500 ]; do echo x >/dev/null; i=$((i+1)); done")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long host = Cgroup2.idOf(mover.pid());
            WriteCounts.Writer before = new WriteCounts.Writer(comm, host);
            assertThat(RingDrain.await(() -> probe.counts().read().containsKey(before), Duration.ofSeconds(10)))
                    .as("the first write, in the cgroup it started in").isTrue();
            cgroup.add(mover.pid());
            try (OutputStream go = mover.getOutputStream()) {
                go.write('\n');
            }
            assertThat(mover.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Map<WriteCounts.Writer, WriteCount> counts = probe.counts().read();
            assertThat(counts).containsEntry(before, WriteSizes.uniform(1, 6))
                    .containsEntry(new WriteCounts.Writer(comm, cgroup.id()), WriteSizes.uniform(500, 2));
            long moved = cgroup.id();
            cgroup.close();
            assertThat(probe.counts().retire(Set.of(moved))).isEqualTo(1);
            assertThat(probe.counts().read()).doesNotContainKey(new WriteCounts.Writer(comm, moved))
                    .containsKey(before);
        } finally {
            Files.deleteIfExists(shell);
            Files.deleteIfExists(dir);
        }
    }

    private static WriteCounts.Writer onHost(Writer writer) {
        return new WriteCounts.Writer(writer.comm(), Cgroup2.idOf(ProcessHandle.current().pid()));
    }
}
