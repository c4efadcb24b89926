package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class LimitsFanoutTest {

    private static final String OUTPUT = """
            ready
            stamp client=0 rx_ns=1 id=90 {"type":"lost","stage":"kernel","reason":"buffer_full","eventType":"write","count":30}
            stamp client=0 rx_ns=2 id=91 {"type":"lost","stage":"kernel","reason":"buffer_full","eventType":"exec","count":5}
            stamp client=1 rx_ns=3 id=120 {"type":"lost","count":44,"fromId":48,"toId":91}
            stamp client=1 rx_ns=4 id=130 {"type":"lost","stage":"daemon","reason":"restart","count":null}
            client=0 role=reader bytes=9000 events=70 write=70 exec=0 lost_msgs=2 lost_events=35
            client=1 role=stalled bytes=90 events=2 write=2 exec=0 lost_msgs=2 lost_events=44 closed=1 first_lost={"type":"lost","count":44}
            summary readers=1 reader_min=70 reader_max=70 stalled=1 stalled_events=2 stalled_lost_events=44 stalled_lost_msgs=2 cpu_ms=1
            """;

    @Test
    void countsAsToldOnlyTheLossesThatMayBeWritesAndKeepsThoseOfUnknownSize() {
        List<LimitsClient> clients = LimitsFanout.tally(OUTPUT);

        assertThat(clients).extracting(LimitsClient::client, LimitsClient::stalled, LimitsClient::received,
                LimitsClient::closed).containsExactly(tuple(0, false, 70L, false), tuple(1, true, 2L, true));
        LimitsClient reader = clients.get(0);
        assertThat(reader.told()).as("the write loss, not the exec one").isEqualTo(30);
        assertThat(reader.accountsFor(100)).isTrue();
        assertThat(reader.accountsFor(101)).isFalse();
        LimitsClient stalled = clients.get(1);
        assertThat(stalled.lost().get(0)).isEqualTo(new LimitsLost(null, null, null, 44L));
        assertThat(stalled.told()).isEqualTo(44);
        assertThat(stalled.toldUnknown()).as("the restart's loss of no count").isEqualTo(1);
        assertThat(stalled.accountsFor(1_000_000)).as("a loss of unknown size covers any shortfall").isTrue();
    }
}
