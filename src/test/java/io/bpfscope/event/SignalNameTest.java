package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignalNameTest {

    @Test
    void signalsAreNamedAsKillDashLNamesThem() {
        assertThat(SignalName.of(1)).isEqualTo("SIGHUP");
        assertThat(SignalName.of(6)).isEqualTo("SIGABRT");
        assertThat(SignalName.of(9)).isEqualTo("SIGKILL");
        assertThat(SignalName.of(11)).isEqualTo("SIGSEGV");
        assertThat(SignalName.of(15)).isEqualTo("SIGTERM");
        assertThat(SignalName.of(31)).isEqualTo("SIGSYS");
        assertThat(SignalName.of(34)).isEqualTo("SIGRTMIN+0");
        assertThat(SignalName.of(64)).isEqualTo("SIGRTMIN+30");
        assertThat(SignalName.of(32)).as("taken by the C library, no name").isEqualTo("SIG32");
    }
}
