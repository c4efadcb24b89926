package io.bpfscope.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.buffer.RecordSource;
import io.bpfscope.event.WriteEvent;
import io.bpfscope.probe.WriteProbe;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.Writer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A new set is put in force in one switch: flipping between two disjoint
 * sets 10,000 times while three processes write, the kernel never streams a
 * write of the process that is in neither set.
 */
class PidFilterFlipTest {

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void flippingBetweenDisjointSetsNeverLetsAThirdProcessThrough() throws Exception {
        Map<Integer, LongAdder> eventsByPid = new ConcurrentHashMap<>();
        try (WriteProbe probe = Kernel.writeProbe(Map.of("bpfscope.write.buffer-bytes", "16777216"));
             RecordSource ring = probe.events();
             Writer a = Writer.prepare(20_000_000, 1);
             Writer b = Writer.prepare(20_000_000, 1);
             Writer neither = Writer.prepare(20_000_000, 1)) {
            PidFilterMap filter = new PidFilterMap(probe);
            probe.attach();
            try (RingDrain drain = new RingDrain(ring, (memory, offset, length) ->
                    eventsByPid.computeIfAbsent(WriteEvent.decode(memory, offset, length).pid(), pid -> new LongAdder())
                            .increment())) {
                a.release();
                b.release();
                neither.release();
                for (int flip = 0; flip < 10_000; flip++) {
                    filter.replace(Set.of(flip % 2 == 0 ? a.pid() : b.pid()));
                }
                filter.replace(Set.of());
            }

            assertThat(eventsByPid.get(a.pid())).as("events of the first set").isNotNull();
            assertThat(eventsByPid.get(b.pid())).as("events of the second set").isNotNull();
            assertThat(eventsByPid).as("events by PID").doesNotContainKey(neither.pid());
        }
    }
}
