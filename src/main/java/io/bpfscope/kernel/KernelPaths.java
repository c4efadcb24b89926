package io.bpfscope.kernel;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The path each {@link KernelFeature} takes on this kernel: the newer one
 * where the kernel offers it and it is not set aside, else the older one.
 *
 * @param older the features on their older path
 * @param btfFile a BTF file given for the kernel, which CO-RE then relocates against instead of the kernel's own
 */
public record KernelPaths(Set<KernelFeature> older, Optional<Path> btfFile) {

    public KernelPaths {
        older = Collections.unmodifiableSet(older.isEmpty() ? EnumSet.noneOf(KernelFeature.class) : EnumSet.copyOf(older));
    }

    /**
     * Decides every feature in declaration order, so task work sees the
     * buffer already decided.
     *
     * @param setAside features to keep on their older path whatever the kernel offers
     */
    public static KernelPaths decide(KernelOffers offers, Set<KernelFeature> setAside, Optional<Path> btfFile) {
        Set<KernelFeature> older = EnumSet.noneOf(KernelFeature.class);
        for (KernelFeature feature : KernelFeature.values()) {
            if (setAside.contains(feature) || !offers.allows(feature, !older.contains(KernelFeature.BUFFER))) {
                older.add(feature);
            }
        }
        return new KernelPaths(older, btfFile);
    }

    public boolean newer(KernelFeature feature) {
        return !older.contains(feature);
    }

    /** Every feature's path by label, and where BTF comes from ("btf": "kernel" or "file"). */
    public Map<String, String> byFeature() {
        Map<String, String> paths = new LinkedHashMap<>();
        for (KernelFeature feature : KernelFeature.values()) {
            paths.put(feature.label(), feature.path(newer(feature)));
        }
        paths.put("btf", btfFile.isPresent() ? "file" : "kernel");
        return paths;
    }

    /** For the start-up log: "buffer=ringbuf argv_loop=bpf_loop ...". */
    @Override
    public String toString() {
        return byFeature().entrySet().stream().map(path -> path.getKey() + "=" + path.getValue())
                .collect(Collectors.joining(" "));
    }
}
