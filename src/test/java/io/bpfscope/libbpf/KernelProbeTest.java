package io.bpfscope.libbpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Kernel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probes bpfscope adds to libbpf's, against what the running kernel shows of itself. */
class KernelProbeTest {

    /** r0 = 0; goto -1: a loop no verifier can bound. */
    private static final long[] ENDLESS = {0x00000000_0000_00_b7L, 0x00000000_ffff_00_05L, 0x00000000_0000_00_95L};

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void mmapableArraysWhereTheKernelHasArrayMmap() {
        assertThat(KernelProbe.mmapableArrays()).isEqualTo(Kernel.hasSymbol("array_map_mmap"));
    }

    @Test
    void boundedLoopsAreAcceptedAndAnEndlessOneRefused() {
        assertThat(Kernel.hasSymbol("array_map_mmap")).as("a kernel of 5.5 or later, whose verifier bounds loops")
                .isTrue();
        assertThat(KernelProbe.boundedLoops()).isTrue();
        assertThat(KernelProbe.verifierAccepts(ENDLESS)).isFalse();
    }
}
