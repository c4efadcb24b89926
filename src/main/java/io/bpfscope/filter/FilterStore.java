package io.bpfscope.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.state.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The filter on disk, so a restart neither widens nor narrows tracing:
 * {@code pid-filter.json} in the state directory, replaced atomically
 * ({@link StateFile}).
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
        StateFile.replace(file, "{\"pids\":[" + pids.stream().map(String::valueOf).collect(Collectors.joining(","))
                + "],\"followChildren\":" + followChildren + "}\n");
    }
}
