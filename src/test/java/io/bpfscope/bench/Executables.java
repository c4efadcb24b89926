package io.bpfscope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Commands by absolute path, found on PATH once here: launched by bare name,
 * each launch tries the PATH directories in turn, and every miss is a failed
 * execve that bpfscope counts among the node's (exec runs would see them).
 */
final class Executables {

    private Executables() {
    }

    /** {@code command} with its first word an absolute path; a missing command is said with the PATH searched. */
    static List<String> resolved(List<String> command) {
        String name = command.getFirst();
        if (name.contains("/")) {
            return command;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Path found = Stream.of(path.split(":")).map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new HarnessFailure("'" + name + "' not found on PATH " + path));
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, found.toString());
        return resolved;
    }
}
