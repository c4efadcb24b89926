package io.bpfscope.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** bpfscope's own BPF objects as built into the jar under test, taken out for loading without the daemon. */
final class BundledObjects {

    private BundledObjects() {
    }

    /** Extracts bpf/SOURCE.bpf.o for each source from the application jar in {@code app}/app into {@code into}. */
    static void extract(Path app, Path into, List<String> sources) {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(app.resolve("app"), "*.jar")) {
            Files.createDirectories(into);
            for (Path jar : jars) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    if (zip.getEntry("bpf/" + sources.getFirst() + ".bpf.o") == null) {
                        continue;
                    }
                    for (String source : sources) {
                        ZipEntry entry = zip.getEntry("bpf/" + source + ".bpf.o");
                        if (entry == null) {
                            throw new HarnessFailure("no bpf/" + source + ".bpf.o in " + jar);
                        }
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, into.resolve(source + ".bpf.o"), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new HarnessFailure("no jar with bpf/" + sources.getFirst() + ".bpf.o in " + app.resolve("app"));
    }
}
