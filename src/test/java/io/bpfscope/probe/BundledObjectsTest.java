package io.bpfscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.BpfProgram;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The names WriteProbe and ExecProbe give the programs and maps of the
 * bundled objects against the objects themselves, as built: every program
 * and map named is there, and nothing else is. (The settings, the other
 * part of the contract, are held to the object's BTF by LayoutMatchesBtfTest.)
 */
class BundledObjectsTest {

    static Stream<Arguments> objects() {
        List<String> writePrograms = Stream.concat(Stream.of(WriteProbe.WRITE_PROGRAM),
                Stream.concat(WriteProbe.BTF_HOOKS.stream(), WriteProbe.RAW_HOOKS.stream())).toList();
        return Stream.of(
                Arguments.of("write", writePrograms, WriteProbe.MAPS),
                Arguments.of("exec", List.of(ExecProbe.ENTER, ExecProbe.EXITED), ExecProbe.TASK_WORK_MAPS),
                Arguments.of("exec_tp",
                        List.of(ExecProbe.ENTER, ExecProbe.ENTER_BOUNDED, ExecProbe.EXIT, ExecProbe.EXITED),
                        ExecProbe.TRACEPOINT_MAPS));
    }

    @ParameterizedTest
    @MethodSource("objects")
    void theObjectHasExactlyTheProgramsAndMapsNamed(String source, List<String> programs, List<String> maps) {
        try (BpfObject object = BpfObject.open(source, bundled(source))) {
            assertThat(object.programs().stream().map(BpfProgram::name)).containsExactlyInAnyOrderElementsOf(programs);
            // libbpf's own maps of global data have a dot in their names.
            assertThat(object.mapNames().stream().filter(name -> !name.contains(".")))
                    .containsExactlyInAnyOrderElementsOf(maps);
            assertThat(object.mapNames()).anyMatch(name -> name.endsWith(".rodata.config"));
        }
    }

    private static byte[] bundled(String source) {
        try (InputStream in = BundledObjectsTest.class.getResourceAsStream("/bpf/" + source + ".bpf.o")) {
            assertThat(in).as("bundled object %s", source).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
