package io.bpfscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.kernel.TaskWorkProbeObject;
import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.BtfStruct;
import io.bpfscope.libbpf.MapSpec;
import io.bpfscope.libbpf.ProgramSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WriteObject, ExecObject and TaskWorkProbeObject against the objects as
 * built: every program there with the section named, every map with the
 * type and sizes named, nothing more in the object, and its settings
 * (struct probe_config in the object's own BTF) laid out as ProbeSettings
 * writes them.
 */
class BundledObjectsTest {

    static Stream<Arguments> objects() {
        return Stream.of(
                Arguments.of(WriteObject.SOURCE, WriteObject.PROGRAMS, WriteObject.MAPS),
                Arguments.of(ExecObject.TASK_WORK_SOURCE, ExecObject.TASK_WORK_PROGRAMS, ExecObject.TASK_WORK_MAPS),
                Arguments.of(ExecObject.TRACEPOINT_SOURCE, ExecObject.TRACEPOINT_PROGRAMS, ExecObject.TRACEPOINT_MAPS),
                Arguments.of(TaskWorkProbeObject.SOURCE, List.of(TaskWorkProbeObject.PROGRAM), TaskWorkProbeObject.MAPS));
    }

    @ParameterizedTest
    @MethodSource("objects")
    void theObjectHasExactlyTheProgramsNamedInTheirSections(String source, List<ProgramSpec> programs,
            List<MapSpec> maps) {
        try (BpfObject object = BpfObject.open(source, BpfObject.bundled(source))) {
            assertThat(object.programs().stream().map(program -> new ProgramSpec(program.name(), program.section())))
                    .containsExactlyInAnyOrderElementsOf(programs);
        }
    }

    @ParameterizedTest
    @MethodSource("objects")
    void theObjectHasExactlyTheMapsNamedOfTheirTypesAndSizes(String source, List<ProgramSpec> programs,
            List<MapSpec> maps) {
        try (BpfObject object = BpfObject.open(source, BpfObject.bundled(source))) {
            // libbpf names the maps of data sections after the object and the section.
            assertThat(object.mapNames().stream().map(name -> name.contains(".") ? name.substring(name.indexOf('.')) : name))
                    .containsExactlyInAnyOrderElementsOf(maps.stream().map(MapSpec::name).toList());
            for (MapSpec spec : maps) {
                BpfMap map = object.map(spec);
                assertThat(map.type()).as("type of %s", spec.name()).isEqualTo(spec.type());
            }
        }
    }

    /** The objects bpfscope runs, which all take its settings. */
    @ParameterizedTest
    @ValueSource(strings = {WriteObject.SOURCE, ExecObject.TASK_WORK_SOURCE, ExecObject.TRACEPOINT_SOURCE})
    void theSettingsAreLaidOutAsTheJavaSideWritesThem(String source) {
        try (BpfObject object = BpfObject.open(source, BpfObject.bundled(source))) {
            BtfStruct config = BtfStruct.of(object, "probe_config");

            assertThat(object.map(ObjectMaps.CONFIG).valueSize()).isEqualTo(ProbeSettings.LAYOUT.byteSize());
            assertThat(config.offsets()).containsExactlyEntriesOf(BtfStruct.offsets(ProbeSettings.LAYOUT));
            assertThat(config.size()).isEqualTo(ProbeSettings.LAYOUT.byteSize());
        }
    }

    @Test
    void aMapOfAnotherTypeOrSizeThanNamedIsRefused() {
        try (BpfObject object = BpfObject.open(WriteObject.SOURCE, BpfObject.bundled(WriteObject.SOURCE))) {
            assertThatThrownBy(() -> object.map(new MapSpec("pid_filter", BpfMap.TYPE_HASH, 4, 4)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("map pid_filter of BPF object write has type 2 where 1 is expected,"
                            + " a 8-byte value where 4 is expected");
        }
    }
}
