package io.bpfscope.probe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** {@code bpfscope.*}: what the bundled programs are loaded with. */
@ConfigMapping(prefix = "bpfscope")
public interface ProbeConfig {

    /** Kernel BTF the programs are relocated against (CO-RE). */
    @WithDefault("/sys/kernel/btf/vmlinux")
    Path btf();

    Write write();

    Exec exec();

    interface Write {
        /** Distinct comm values counted apart; writes of further comms are counted as "_other". */
        @WithDefault("512")
        int maxComms();

        /** Ring buffer of write records, in bytes: a power of two, at least a page. */
        @WithDefault("4194304")
        int bufferBytes();
    }

    interface Exec {
        /** Ring buffer of exec records, in bytes: a power of two, at least a page. */
        @WithDefault("1048576")
        int bufferBytes();
    }
}
