package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsAccountTest {

    private static final String COUNTER = "bpfscope_write_syscalls_total{comm=\"w\",namespace=\"\",pod=\"\",container=\"\"}";

    @Test
    void takesEachStagesLossesAndOnlyTheWritesWhereTheSeriesNameATypeOfEvent() {
        Map<String, Double> before = Map.of(COUNTER, 5.0, "bpfscope_events_total{type=\"write\"}", 10.0,
                "bpfscope_events_lost_total{stage=\"kernel\"}", 1.0);
        Map<String, Double> after = Map.of(COUNTER, 106.0, "bpfscope_events_total{type=\"write\"}", 90.0,
                "bpfscope_events_lost_total{stage=\"kernel\"}", 19.0,
                "bpfscope_events_lost_total{stage=\"reader\",type=\"write\"}", 2.0,
                "bpfscope_events_lost_total{stage=\"reader\",type=\"exec\"}", 7.0,
                "bpfscope_events_lost_total{stage=\"client\"}", 300.0);

        LimitsAccount account = LimitsAccount.between(before, after, 101, COUNTER);

        assertThat(account).isEqualTo(new LimitsAccount(101, 101, 80, 18, 2, 300));
        assertThat(account.countingExact()).isTrue();
        assertThat(account.deliveryAccounted()).as("80 + 18 + 2 of 101").isFalse();
    }
}
