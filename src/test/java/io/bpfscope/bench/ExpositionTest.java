package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lines of the /q/metrics of a soak's daemon under load. */
class ExpositionTest {

    private static final String METRICS = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 1.2311312E7
            jvm_memory_used_bytes{area="nonheap",id="CodeHeap 'profiled nmethods'"} 5219712.0
            jvm_memory_used_bytes{area="heap",id="Eden Space"} 7716248.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 3462072.0
            jvm_memory_used_bytes{area="nonheap",id="CodeHeap 'non-nmethods'"} 1613696.0
            jvm_memory_used_bytes{area="heap",id="Survivor Space"} 4227672.0
            jvm_memory_used_bytes{area="nonheap",id="Compressed Class Space"} 271368.0
            jvm_memory_used_bytes{area="nonheap",id="CodeHeap 'non-profiled nmethods'"} 1783552.0
            jvm_memory_committed_bytes{area="heap",id="Tenured Gen"} 2.02752E7
            jvm_memory_committed_bytes{area="heap",id="Eden Space"} 1.0223616E7
            jvm_memory_committed_bytes{area="heap",id="Survivor Space"} 5046272.0
            bpfscope_write_syscalls_total{comm="soakw224800",namespace="",pod="",container=""} 9923318.0
            bpfscope_events_total{type="write"} 9900400.0
            bpfscope_events_lost_total{stage="kernel"} 20933.0
            bpfscope_sse_clients 32.0
            jvm_gc_memory_allocated_bytes_total 1.140768504E9
            """;

    private final Exposition metrics = Exposition.parse(METRICS);

    @Test
    void aSeriesIsReadByItsNameAndLabelsAsExposedAndIsZeroWhenAbsent() {
        assertThat(metrics.value(SoakSeries.STREAMED)).isEqualTo(9_900_400);
        assertThat(metrics.value(SoakSeries.LOST_IN_KERNEL)).isEqualTo(20_933);
        assertThat(metrics.value("jvm_gc_memory_allocated_bytes_total")).isEqualTo(1.140768504E9);
        assertThat(metrics.value(SoakSeries.EXPORTED)).isZero();
    }

    @Test
    void theSpacesOfAnAreaAndTheCgroupsOfACommAddUp() {
        assertThat(metrics.sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(1.2311312E7 + 7716248 + 4227672);
        assertThat(metrics.sum("jvm_memory_committed_bytes", "area=\"heap\"")).isEqualTo(2.02752E7 + 1.0223616E7 + 5046272);
        assertThat(metrics.sum("jvm_memory_used_bytes", "area=\"nonheap\"")).isEqualTo(5219712.0 + 3462072 + 1613696 + 271368
                + 1783552);
        assertThat(metrics.sum(SoakSeries.WRITES, SoakSeries.ofComm("soakw224800"))).isEqualTo(9_923_318);
        assertThat(metrics.sum(SoakSeries.WRITES, SoakSeries.ofComm("soakw22480"))).isZero();
    }

    @Test
    void growthIsTheDifferenceOfOneSeries() {
        Exposition later = Exposition.parse("bpfscope_events_total{type=\"write\"} 1.0E7\n");

        assertThat(later.growth(metrics, SoakSeries.STREAMED)).isEqualTo(99_600);
    }

    @Test
    void infiniteValuesAreRead() {
        assertThat(Exposition.parse("x_bucket{le=\"+Inf\"} +Inf\n").value("x_bucket{le=\"+Inf\"}")).isInfinite();
    }
}
