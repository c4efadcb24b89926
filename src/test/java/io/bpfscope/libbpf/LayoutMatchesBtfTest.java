package io.bpfscope.libbpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.event.ExecEventLayout;
import io.bpfscope.event.ExitEventLayout;
import io.bpfscope.event.WriteEventLayout;
import io.bpfscope.probe.CounterLayouts;
import io.bpfscope.testing.Kernel;
import java.lang.foreign.StructLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java decoders' layouts against the layout clang gave the structs of
 * bpfscope.h (layout.bpf.c puts them in BTF): same members, same offsets,
 * same size. Together with the tests that decode real records, this holds the
 * two sides of the header together.
 */
class LayoutMatchesBtfTest {

    static java.util.stream.Stream<Arguments> layouts() {
        return java.util.stream.Stream.of(
                Arguments.of("write_event", WriteEventLayout.LAYOUT),
                Arguments.of("exec_event", ExecEventLayout.LAYOUT),
                Arguments.of("exit_event", ExitEventLayout.LAYOUT),
                Arguments.of("count_key", CounterLayouts.COUNT_KEY),
                Arguments.of("write_count", CounterLayouts.WRITE_COUNT),
                Arguments.of("write_size_tail", CounterLayouts.WRITE_SIZE_TAIL),
                Arguments.of("write_latency", CounterLayouts.WRITE_LATENCY),
                Arguments.of("write_latency_tail", CounterLayouts.WRITE_LATENCY_TAIL),
                Arguments.of("write_error_key", CounterLayouts.WRITE_ERROR_KEY),
                Arguments.of("exec_count", CounterLayouts.EXEC_COUNT),
                Arguments.of("duration_histogram", CounterLayouts.DURATION_HISTOGRAM));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void javaLayoutIsTheHeadersLayout(String struct, StructLayout java) {
        try (BpfObject object = BpfObject.open("layout", Kernel.testObject("layout"))) {
            BtfStruct btf = BtfStruct.of(object, struct);

            assertThat(java.name()).contains(struct);
            assertThat(BtfStruct.offsets(java)).containsExactlyEntriesOf(btf.offsets());
            assertThat(java.byteSize()).isEqualTo(btf.size());
        }
    }
}
