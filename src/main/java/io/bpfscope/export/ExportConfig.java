package io.bpfscope.export;

import io.bpfscope.config.AtLeastOne;
import io.bpfscope.config.PositiveSize;
import io.bpfscope.event.EventType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** {@code bpfscope.export.*}: events as JSON lines for log pipelines. */
@ConfigMapping(prefix = "bpfscope.export")
public interface ExportConfig {

    /** Writes the export to the daemon's standard output, for the container runtime's log collection. */
    @WithDefault("false")
    boolean stdout();

    /** Writes the export to this file, rotated by size: FILE.1 is the newest rotated one. */
    Optional<Path> file();

    /** The size a file of the export may reach; the next line that would pass it goes to a new file. */
    @WithDefault("100M")
    @WithConverter(PositiveSize.class)
    long maxFileSize();

    /** Rotated files kept beside the current one (FILE.1 ... FILE.N); older ones are deleted. */
    @WithDefault("5")
    @WithConverter(AtLeastOne.class)
    int maxFiles();

    /** Only events of these types (exec, exit, write); all when not given. */
    Optional<Set<@WithConverter(EventTypeName.class) EventType>> types();

    /** Only events from pods in these namespaces; from anywhere, host processes too, when not given. */
    Optional<Set<String>> namespaces();
}
