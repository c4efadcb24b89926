package io.bpfscope.libbpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Kernel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** libbpf's own log lines reach the Java logger "io.bpfscope.libbpf", at the mapped level. */
class LibbpfLogTest {

    private final Logger logger = Logger.getLogger("io.bpfscope.libbpf");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previous;

    @BeforeEach
    void listen() {
        previous = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
        logger.setLevel(previous);
    }

    @Test
    void debugLinesOfASuccessfulCallAreLoggedAtDebug() {
        try (BpfObject object = BpfObject.open("logged", Kernel.testObject("layout"))) {
            assertThat(object.name()).isEqualTo("logged");
        }

        assertThat(records).isNotEmpty();
        assertThat(records).allSatisfy(record -> assertThat(record.getMessage()).startsWith("libbpf: "));
        assertThat(records).anySatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.FINE);
            assertThat(record.getMessage()).contains("logged");
        });
    }

    @Test
    void warningsOfAFailedCallGoToTheExceptionNotTheLog() {
        try (BpfObject object = BpfObject.open("rejected", Kernel.testObject("rejected"))) {
            LibbpfException failure = org.assertj.core.api.Assertions.catchThrowableOfType(LibbpfException.class,
                    object::load);
            assertThat(failure.log()).anyMatch(line -> line.contains("BEGIN PROG LOAD LOG"));
        }
        assertThat(records).noneMatch(record -> record.getLevel().intValue() >= Level.WARNING.intValue());
    }
}
