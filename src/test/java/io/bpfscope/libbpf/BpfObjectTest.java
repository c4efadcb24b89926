package io.bpfscope.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.testing.Kernel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BpfObjectTest {

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void malformedElfIsRefusedWithAnErrnoNotACrash() {
        byte[] garbage = "this is not an ELF object, just bytes".getBytes();

        assertThatThrownBy(() -> BpfObject.open("garbage", garbage))
                .isInstanceOfSatisfying(LibbpfException.class, e -> {
                    assertThat(e.operation()).isEqualTo("bpf_object__open_mem(garbage)");
                    assertThat(e.errno()).isPositive();
                    assertThat(e.getMessage()).contains("failed:");
                    assertThat(e.log()).isNotEmpty();
                });
    }

    @Test
    void truncatedElfIsRefused() {
        byte[] object = Kernel.testObject("rejected");
        byte[] truncated = java.util.Arrays.copyOf(object, object.length / 3);

        assertThatThrownBy(() -> BpfObject.open("truncated", truncated)).isInstanceOf(LibbpfException.class);
    }

    @Test
    void verifierRejectionCarriesTheVerifierLog() {
        try (BpfObject object = BpfObject.open("rejected", Kernel.testObject("rejected"))) {
            assertThatThrownBy(object::load)
                    .isInstanceOfSatisfying(LibbpfException.class, e -> {
                        assertThat(e.errnoName()).isEqualTo("EACCES");
                        assertThat(e.verifierLog())
                                .contains("invalid mem access 'map_value_or_null'");
                        assertThat(e.getMessage()).contains("bpf_object__load(rejected)", "EACCES",
                                "invalid mem access");
                    });
        }
        assertThat(Kernel.loadedProgramNames()).doesNotContain("unchecked_looku", "unchecked_lookup");
    }

    @Test
    void unknownProgramAndMapNamesAreClearErrors() {
        try (BpfObject object = BpfObject.open("rejected", Kernel.testObject("rejected"))) {
            assertThat(object.programs()).extracting(BpfProgram::name).containsExactly("unchecked_lookup");
            assertThatThrownBy(() -> object.program("nope")).hasMessageContaining("no program nope");
            assertThatThrownBy(() -> object.map("nope")).hasMessageContaining("no map nope");
        }
    }

    @Test
    void aClosedObjectRefusesUse() {
        BpfObject object = BpfObject.open("rejected", Kernel.testObject("rejected"));
        object.close();
        object.close();

        assertThatThrownBy(object::programs).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
