package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgvModeTest {

    private static final ExecEvent EXEC = new ExecEvent(1L, 2L, "/", 3, 4, 5, 6, 7, 0, "mysql", "/usr/bin/mysql", false,
            List.of("mysql", "--password=hunter2", "db"), true);

    @Test
    void settingsAreReadInAnyCase() {
        assertThat(ArgvMode.parse("full")).hasValue(ArgvMode.FULL);
        assertThat(ArgvMode.parse("Redacted")).hasValue(ArgvMode.REDACTED);
        assertThat(ArgvMode.parse(" OFF ")).hasValue(ArgvMode.OFF);
        assertThat(ArgvMode.parse("masked")).isEmpty();
        assertThat(ArgvMode.parse("")).isEmpty();
        assertThat(ArgvMode.choices()).isEqualTo("full, redacted or off");
    }

    @Test
    void fullKeepsTheEvent() {
        assertThat(ArgvMode.FULL.apply(EXEC)).isSameAs(EXEC);
    }

    @Test
    void redactedMasksArgvAndKeepsEveryOtherField() {
        assertThat(ArgvMode.REDACTED.apply(EXEC)).isEqualTo(new ExecEvent(1L, 2L, "/", 3, 4, 5, 6, 7, 0, "mysql",
                "/usr/bin/mysql", false, List.of("mysql", "--password=***", "db"), true));
    }

    @Test
    void offEmptiesArgvAndKeepsWhetherTheKernelCutIt() {
        assertThat(ArgvMode.OFF.apply(EXEC)).isEqualTo(new ExecEvent(1L, 2L, "/", 3, 4, 5, 6, 7, 0, "mysql",
                "/usr/bin/mysql", false, List.of(), true));
    }

    @Test
    void theFilenameIsNeverRedacted() {
        ExecEvent exec = new ExecEvent(1L, 2L, "/", 3, 4, 5, 6, 7, 0, "x", "/opt/password=x/token", false,
                List.of("/opt/password=x/token"), false);

        assertThat(ArgvMode.REDACTED.apply(exec).filename()).isEqualTo("/opt/password=x/token");
        assertThat(ArgvMode.OFF.apply(exec).filename()).isEqualTo("/opt/password=x/token");
    }
}
