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

    /** What was saved: the PIDs, and whether children were followed. */
    record Saved(List<Integer> pids, boolean followChildren) {
    }

    /** The saved filter, or an empty one when nothing was saved yet. */
    Saved load() throws IOException {
        if (!Files.exists(file)) {
            return new Saved(List.of(), false);
        }
        JsonNode saved = JSON.readTree(file.toFile());
        List<Integer> pids = new ArrayList<>();
        saved.path("pids").forEach(pid -> pids.add(pid.asInt()));
        return new Saved(pids, saved.path("followChildren").asBoolean(false));
    }

    void save(Collection<Integer> pids, boolean followChildren) throws IOException {
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling(file.getFileName() + ".next");
        String text = "{\"pids\":[" + pids.stream().map(String::valueOf).collect(Collectors.joining(","))
                + "],\"followChildren\":" + followChildren + "}\n";
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.UTF_8.encode(text));
            channel.force(true);
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
