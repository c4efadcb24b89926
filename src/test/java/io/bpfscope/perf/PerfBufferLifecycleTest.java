package io.bpfscope.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.sys.Libc;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.NativeMemory;
import java.io.File;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PerfBuffer's closing and what it refuses, against the real kernel (see {@link PerfOutputProgram}). */
class PerfBufferLifecycleTest {

    private static final int PAGE = Libc.pageSize();

    @RegisterExtension
    static final PerfOutputProgram program = new PerfOutputProgram();

    @Test
    void closeFreesEverythingAndTakesTheBuffersOutOfTheMap() {
        for (int i = 0; i < 5; i++) {
            PerfBuffer.of(program.records(), 1, 1).close();
        }
        NativeMemory before = NativeMemory.snapshot();

        for (int i = 0; i < 50; i++) {
            PerfBuffer buffer = PerfBuffer.of(program.records(), 4, 1);
            assertThat(openFds())
                    .as("one perf event per CPU, libbpf's epoll fd and our map fd")
                    .isEqualTo(before.openFileDescriptors() + Kernel.onlineCpus() + 2);
            program.emit(64);
            assertThat(buffer.consume((memory, offset, length) -> { })).isEqualTo(1);
            buffer.close();
            buffer.close();
            assertThatThrownBy(() -> buffer.consume((memory, offset, length) -> { }))
                    .isInstanceOf(IllegalStateException.class);
        }

        NativeMemory after = NativeMemory.snapshot();
        assertThat(after.openFileDescriptors()).isEqualTo(before.openFileDescriptors());
        // 50 scratch segments of 16 KiB would show as 800 KB.
        assertThat(after.ffmAllocatedKb() - before.ffmAllocatedKb()).isLessThan(64);
        // No perf event is left in the map: the program's next output finds none.
        long failedBefore = program.failed();
        program.emit(64);
        assertThat(program.failed()).isEqualTo(failedBefore + 1);
    }

    @Test
    void aBufferOutlivingItsObjectClosesCleanly() {
        int fdsBefore = NativeMemory.snapshot().openFileDescriptors();
        PerfBuffer buffer;
        try (BpfObject other = BpfObject.open("perf_output_2", Kernel.testObject("perf_output"))) {
            other.load();
            buffer = PerfBuffer.of(other.map("records"), 1, 1);
        }
        buffer.close();
        assertThat(NativeMemory.snapshot().openFileDescriptors()).isEqualTo(fdsBefore);
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> PerfBuffer.of(program.stats(), 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a perf event array");
        assertThatThrownBy(() -> PerfBuffer.of(program.records(), 3, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> PerfBuffer.of(program.records(), 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PerfBuffer.of(program.records(), 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PerfBuffer.of(program.records(), 1, PAGE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wakeup watermark");
    }

    private static int openFds() {
        return Objects.requireNonNull(new File("/proc/self/fd").list()).length;
    }
}
