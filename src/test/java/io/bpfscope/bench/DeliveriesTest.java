package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stamp lines sse_count -m printed in soaks: its own exec, a marked exec at two clients, a lost message. */
class DeliveriesTest {

    private static final String MARKER = "soak-ddcece627ce8";
    private static final String STAMPS = """
            stamp client=0 rx_ns=1796388691369377493 id=12 {"type":"exec","time":"2026-12-04T12:51:31.313328295Z","node":"vm","pid":8108,"tid":8108,"comm":"sse_count","cgroupId":"1","ppid":8107,"uid":0,"gid":0,"filename":"/work/wt-soak/bench/build/sse_count","filenameTruncated":false,"argv":["/work/wt-soak/bench/build/sse_count","-p","42273","-u","/events?type=exec","-n","32","-m","soak-ddcece627ce8","-T","480"],"argvTruncated":false,"ret":0,"container":null,"pod":null}
            stamp client=0 rx_ns=1796388695143808117 id=48562 {"type":"exec","time":"2026-12-04T12:51:35.141745479Z","node":"vm","pid":8208,"tid":8208,"comm":"true","cgroupId":"1","ppid":7683,"uid":0,"gid":0,"filename":"/bin/true","filenameTruncated":false,"argv":["/bin/true","soak-ddcece627ce8","7"],"argvTruncated":false,"ret":0,"container":null,"pod":null}
            stamp client=2 rx_ns=1796388695144335447 id=48562 {"type":"exec","time":"2026-12-04T12:51:35.141745479Z","node":"vm","pid":8208,"tid":8208,"comm":"true","cgroupId":"1","ppid":7683,"uid":0,"gid":0,"filename":"/bin/true","filenameTruncated":false,"argv":["/bin/true","soak-ddcece627ce8","7"],"argvTruncated":false,"ret":0,"container":null,"pod":null}
            stamp client=7 rx_ns=1796388628624925081 id=38185913 {"type":"lost","count":5623,"fromId":38180291,"toId":38185913}
            summary readers=32 reader_min=12731 reader_max=12733 stalled=0 stalled_events=0 stalled_lost_events=0 stalled_lost_msgs=0 cpu_ms=962
            """;

    @Test
    void aMarkedExecIsLateByItsReceiptMinusItsOwnTime() {
        Deliveries deliveries = Deliveries.read(STAMPS.lines(), MARKER);

        assertThat(deliveries.latencyNs()).isEqualTo(Map.of(new Deliveries.Due(0, 7), 2_062_638L,
                new Deliveries.Due(2, 7), 2_589_968L));
        assertThat(deliveries.execIds()).isEqualTo(Map.of(7, 48562L));
        assertThat(deliveries.gaps()).isEqualTo(Map.of(7, List.of(new Deliveries.Gap(38180291, 38185913))));
    }

    @Test
    void anEventTimeKeepsEveryNanosecond() {
        assertThat(Deliveries.epochNanos("2026-12-04T12:51:35.024168769Z")).isEqualTo(1796388695024168769L);
        assertThat(Deliveries.epochNanos("2026-12-04T12:51:35.0241Z")).isEqualTo(1796388695024100000L);
    }

    @Test
    void aMissedExecWasToldOfOnlyWhenItsIdIsInsideOneOfTheClientsGaps() {
        Map<Integer, List<Deliveries.Gap>> gaps = Map.of(7, List.of(new Deliveries.Gap(48000, 48562)));
        Deliveries deliveries = new Deliveries(Map.of(), Map.of(7, 48562L), gaps);

        assertThat(deliveries.toldLost(new Deliveries.Due(7, 7))).isTrue();
        assertThat(deliveries.toldLost(new Deliveries.Due(6, 7))).isFalse();
        assertThat(deliveries.toldLost(new Deliveries.Due(7, 8))).isFalse();
        assertThat(Deliveries.read(STAMPS.lines(), MARKER).toldLost(new Deliveries.Due(7, 7))).isFalse();
    }
}
