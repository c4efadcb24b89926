package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The exec buffer's two kinds of record, told apart by their first field. */
class ProcessRecordsTest {

    private final Arena arena = Arena.ofAuto();

    @Test
    void anExitRecordDecodesAsAnExitWithEveryField() {
        MemorySegment record = arena.allocate(ExitEventLayout.LAYOUT);
        record.set(ValueLayout.JAVA_INT, 0, ProcessRecords.EXIT);
        record.set(ValueLayout.JAVA_INT, ExitEventLayout.STATUS, 3 << 8);
        record.set(ValueLayout.JAVA_LONG, ExitEventLayout.BOOT_NS, 900L);
        record.set(ValueLayout.JAVA_LONG, ExitEventLayout.START_NS, 400L);
        record.set(ValueLayout.JAVA_LONG, ExitEventLayout.CGROUP_ID, 42L);
        record.set(ValueLayout.JAVA_INT, ExitEventLayout.PID, 100);
        record.set(ValueLayout.JAVA_INT, ExitEventLayout.TID, 102);
        record.set(ValueLayout.JAVA_INT, ExitEventLayout.PPID, 1);
        record.set(ValueLayout.JAVA_INT, ExitEventLayout.UID, 1000);
        record.setString(ExitEventLayout.COMM, "worker");
        record.setString(ExitEventLayout.CGROUP, "app.scope");
        record.setString(ExitEventLayout.CGROUP_PARENT, "system.slice");

        Event event = ProcessRecords.decode(record, 0, (int) record.byteSize());

        assertThat(event).isEqualTo(new ExitEvent(900L, 400L, 42L, "/system.slice/app.scope", 100, 102, 1, 1000, 3 << 8,
                "worker"));
        assertThat(((ExitEvent) event).durationNs()).isEqualTo(500L);
    }

    @Test
    void anExecRecordDecodesAsAnExec() {
        MemorySegment record = arena.allocate(ExecEventLayout.ARGV, 8);
        record.set(ValueLayout.JAVA_INT, 0, ProcessRecords.EXEC);
        record.setString(ExecEventLayout.FILENAME, "/bin/true");

        assertThat(ProcessRecords.decode(record, 0, (int) record.byteSize()))
                .isInstanceOfSatisfying(ExecEvent.class, exec -> assertThat(exec.filename()).isEqualTo("/bin/true"));
    }

    @Test
    void unknownKindsAndShortRecordsAreRefused() {
        MemorySegment record = arena.allocate(ExitEventLayout.LAYOUT);
        record.set(ValueLayout.JAVA_INT, 0, 7);

        assertThatThrownBy(() -> ProcessRecords.decode(record, 0, (int) record.byteSize()))
                .isInstanceOf(MalformedRecordException.class).hasMessage("record of unknown kind 7 in the exec buffer");
        record.set(ValueLayout.JAVA_INT, 0, ProcessRecords.EXIT);
        assertThatThrownBy(() -> ProcessRecords.decode(record, 0, 100))
                .isInstanceOf(MalformedRecordException.class).hasMessage("exit record of 100 bytes, shorter than its 448");
        assertThatThrownBy(() -> ProcessRecords.decode(record, 0, 2))
                .isInstanceOf(MalformedRecordException.class).hasMessage("record of 2 bytes in the exec buffer");
    }
}
