package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of the exec decoder on records built by hand (the real-kernel
 * records are decoded in ExecProbeTest): bytes that are not UTF-8, an
 * argument cut without its NUL, and lengths that do not add up.
 */
class ExecEventTest {

    private final Arena arena = Arena.ofAuto();

    @Test
    void decodesEveryField() {
        MemorySegment record = record("ls\0-l\0/tmp\0".getBytes(StandardCharsets.UTF_8), 3, 0);
        record.set(ValueLayout.JAVA_LONG, ExecEventLayout.BOOT_NS, 123_456_789L);
        record.set(ValueLayout.JAVA_LONG, ExecEventLayout.CGROUP_ID, 42L);
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.PID, 100);
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.TID, 101);
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.PPID, 1);
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.UID, 1000);
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.GID, 1001);
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.RET, -13);
        record.setString(ExecEventLayout.COMM, "ls");
        record.setString(ExecEventLayout.CGROUP, "docker-" + "ab".repeat(32) + ".scope");
        record.setString(ExecEventLayout.CGROUP_PARENT, "system.slice");
        record.setString(ExecEventLayout.FILENAME, "/usr/bin/ls");

        ExecEvent event = ExecEvent.decode(record, 0, (int) record.byteSize());

        assertThat(event).isEqualTo(new ExecEvent(123_456_789L, 42L, "/system.slice/docker-" + "ab".repeat(32) + ".scope",
                100, 101, 1, 1000, 1001, -13, "ls",
                "/usr/bin/ls", false, java.util.List.of("ls", "-l", "/tmp"), false));
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharacters() {
        byte[] argv = {'a', (byte) 0xff, 'b', 0};
        MemorySegment record = record(argv, 1, 0);
        record.set(ValueLayout.JAVA_BYTE, ExecEventLayout.COMM, (byte) 0xc3);

        ExecEvent event = ExecEvent.decode(record, 0, (int) record.byteSize());

        assertThat(event.argv()).containsExactly("a\uFFFDb");
        assertThat(event.comm()).isEqualTo("\uFFFD");
    }

    @Test
    void aCutLastArgumentWithoutItsNulIsKeptAndFlagged() {
        MemorySegment record = record("first\0seco".getBytes(StandardCharsets.UTF_8), 2, ExecEventLayout.ARGV_TRUNCATED);

        ExecEvent event = ExecEvent.decode(record, 0, (int) record.byteSize());

        assertThat(event.argv()).containsExactly("first", "seco");
        assertThat(event.argvTruncated()).isTrue();
    }

    @Test
    void aFilenameFillingItsFieldIsCutAtTheFieldAndFlagged() {
        MemorySegment record = record(new byte[0], 0, ExecEventLayout.FILENAME_TRUNCATED);
        record.asSlice(ExecEventLayout.FILENAME, ExecEventLayout.FILENAME_LEN).fill((byte) 'f');

        ExecEvent event = ExecEvent.decode(record, 0, (int) record.byteSize());

        assertThat(event.filename()).hasSize(ExecEventLayout.FILENAME_LEN);
        assertThat(event.filenameTruncated()).isTrue();
        assertThat(event.argv()).isEmpty();
    }

    @Test
    void lengthsThatDoNotAddUpAreRefused() {
        MemorySegment record = record("x\0".getBytes(StandardCharsets.UTF_8), 1, 0);

        assertThatThrownBy(() -> ExecEvent.decode(record, 0, (int) ExecEventLayout.ARGV - 1))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("shorter than its header");
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.ARGV_USED, 4000);
        assertThatThrownBy(() -> ExecEvent.decode(record, 0, (int) record.byteSize()))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("claims 4000 bytes of argv");
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.ARGV_USED, -1);
        assertThatThrownBy(() -> ExecEvent.decode(record, 0, (int) record.byteSize()))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void writeRecordsShorterThanTheLayoutAreRefused() {
        MemorySegment record = arena.allocate(WriteEventLayout.LAYOUT);

        assertThatThrownBy(() -> WriteEvent.decode(record, 0, 40))
                .isInstanceOf(MalformedRecordException.class).hasMessage("write record of 40 bytes, expected 56");
    }

    /** A record as the kernel sends it: the header, then only the used part of argv. */
    private MemorySegment record(byte[] argv, int argc, int flags) {
        MemorySegment record = arena.allocate(ExecEventLayout.ARGV + argv.length, 8);
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.ARGC, argc);
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.ARGV_USED, argv.length);
        record.set(ValueLayout.JAVA_INT, ExecEventLayout.FLAGS, flags);
        MemorySegment.copy(argv, 0, record, ValueLayout.JAVA_BYTE, ExecEventLayout.ARGV, argv.length);
        return record;
    }
}
