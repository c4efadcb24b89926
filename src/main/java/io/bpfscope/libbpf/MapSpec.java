package io.bpfscope.libbpf;

/**
 * A map of a BPF object as its Java side uses it: the name, the type
 * (enum bpf_map_type), and the sizes of key and value where Java reads or
 * writes them (0 where it does neither, or for a buffer). {@link BpfObject#map(MapSpec)}
 * holds the object to it.
 */
public record MapSpec(String name, int type, long keySize, long valueSize) {

    /** A map Java sizes or leaves out, but never reads or writes: only its name and type matter. */
    public static MapSpec untouched(String name, int type) {
        return new MapSpec(name, type, 0, 0);
    }

    /** What in {@code map} differs from this, or an empty string. */
    String mismatch(BpfMap map) {
        StringBuilder differences = new StringBuilder();
        if (map.type() != type) {
            differences.append("type ").append(map.type()).append(" where ").append(type).append(" is expected");
        }
        if (keySize != 0 && map.keySize() != keySize) {
            differences.append(differences.isEmpty() ? "" : ", ").append("a ").append(map.keySize())
                    .append("-byte key where ").append(keySize).append(" is expected");
        }
        if (valueSize != 0 && map.valueSize() != valueSize) {
            differences.append(differences.isEmpty() ? "" : ", ").append("a ").append(map.valueSize())
                    .append("-byte value where ").append(valueSize).append(" is expected");
        }
        return differences.toString();
    }
}
