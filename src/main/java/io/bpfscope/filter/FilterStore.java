package io.bpfscope.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The filter on disk, so a restart neither widens nor narrows tracing:
 * {@code pid-filter.json} in the state directory, replaced atomically
 * (written beside, flushed, renamed over), so a crash leaves the old file or
 * the new one.
 */
final class FilterStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    FilterStore(Path directory) {
        this.file = directory.resolve("pid-filter.json");
    }

    Path file() {
        return file;
    }

    /** The saved PIDs, or none when nothing was saved yet. */
    List<Integer> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode saved = JSON.readTree(file.toFile());
        List<Integer> pids = new ArrayList<>();
        saved.path("pids").forEach(pid -> pids.add(pid.asInt()));
        return pids;
    }

    void save(Collection<Integer> pids) throws IOException {
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling(file.getFileName() + ".next");
        String text = "{\"pids\":[" + pids.stream().map(String::valueOf).collect(Collectors.joining(","))
                + "],\"followChildren\":false}\n";
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.UTF_8.encode(text));
            channel.force(true);
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
