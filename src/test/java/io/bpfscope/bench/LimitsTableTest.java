package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LimitsTableTest {

    private static final List<LimitsQuota> SWEPT = LimitsReport.quotas("2,1,0.5,0.25").stream()
            .map(cpus -> new LimitsQuota(cpus, null, null, null, null)).toList();

    @Test
    void theAnswerIsTheSmallestQuotaThatHeldAndNamesAnyLargerOneThatDidNot() {
        assertThat(LimitsTable.smallest(SWEPT, q -> Double.parseDouble(q.cpus()) >= 0.5)).isEqualTo("**0.5 CPUs**");
        assertThat(LimitsTable.smallest(SWEPT, q -> !q.cpus().equals("1"))).isEqualTo("**0.25 CPUs** (yet not at 1)");
        assertThat(LimitsTable.smallest(SWEPT, q -> false)).isEqualTo("**none of those tried**");
    }

    @Test
    void quotasArePositiveCpuCounts() {
        assertThat(LimitsReport.quotas("0.1")).containsExactly("0.1");
        assertThatThrownBy(() -> LimitsReport.quotas("1,0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LimitsReport.quotas("1,half")).hasMessageContaining("-Q wants CPU counts");
    }
}
