package io.bpfscope.structure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of src/main/java says in its package-info.java which
 * bpfscope packages it depends on ("Depends on: a, b."), and its sources
 * import exactly those: the documentation stays true, and no dependency
 * comes in unannounced. The packages' dependencies form no cycle.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/bpfscope");
    private static final Pattern DECLARED = Pattern.compile("Depends on(?:: ([a-z., ]+)| no other bpfscope package)\\.");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.bpfscope\\.([a-z.]+)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void eachPackageImportsWhatItsPackageInfoDeclaresAndNoMore() {
        Map<String, Set<String>> declared = declared();
        assertThat(declared).as("packages with a package-info.java").containsKeys("libbpf", "event", "probe", "api");
        declared.forEach((name, allowed) -> assertThat(imported(name, declared.keySet()))
                .as("bpfscope packages imported by %s (its package-info says %s)", name, allowed)
                .containsExactlyInAnyOrderElementsOf(allowed));
    }

    @Test
    void theDependenciesFormNoCycle() {
        Map<String, Set<String>> declared = declared();
        Set<String> done = new HashSet<>();
        for (String name : declared.keySet()) {
            List<String> path = new ArrayList<>();
            assertThat(cycleFrom(name, declared, path, done)).as("a cycle: %s", path).isFalse();
        }
    }

    private static boolean cycleFrom(String name, Map<String, Set<String>> graph, List<String> path, Set<String> done) {
        if (path.contains(name)) {
            path.add(name);
            return true;
        }
        if (done.contains(name)) {
            return false;
        }
        path.add(name);
        for (String next : graph.getOrDefault(name, Set.of())) {
            if (cycleFrom(next, graph, path, done)) {
                return true;
            }
        }
        path.removeLast();
        done.add(name);
        return false;
    }

    /** Package (relative to io.bpfscope, dotted) to the packages its package-info declares. */
    private static Map<String, Set<String>> declared() {
        Map<String, Set<String>> declared = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path info : files.filter(file -> file.endsWith("package-info.java")).toList()) {
                String name = SOURCES.relativize(info.getParent()).toString().replace('/', '.');
                Matcher matcher = DECLARED.matcher(Files.readString(info).replaceAll("\\s*\\n\\s*\\*\\s*", " "));
                assertThat(matcher.find()).as("%s says what the package depends on", info).isTrue();
                Set<String> names = new TreeSet<>();
                if (matcher.group(1) != null) {
                    for (String dependency : matcher.group(1).split(",")) {
                        names.add(dependency.strip());
                    }
                }
                declared.put(name, names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return declared;
    }

    /** The other bpfscope packages the sources of {@code name} (not its subpackages) import. */
    private static Set<String> imported(String name, Set<String> packages) {
        Set<String> imported = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve(name.replace('.', '/')))) {
            for (Path source : files.filter(file -> file.toString().endsWith(".java")).toList()) {
                Matcher matcher = IMPORT.matcher(Files.readString(source));
                while (matcher.find()) {
                    String target = matcher.group(1);
                    assertThat(packages).as("%s imports from io.bpfscope.%s, a package without package-info", source,
                            target).contains(target);
                    if (!target.equals(name)) {
                        imported.add(target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imported;
    }
}
