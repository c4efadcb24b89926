package io.bpfscope.probe;

/** Both bundled probes, loaded and attached; closing unloads both. */
public record LoadedProbes(WriteProbe write, ExecProbe exec) implements AutoCloseable {

    /** Checks the machine, loads both objects, then attaches them; on failure nothing stays loaded. */
    public static LoadedProbes start(ProbeConfig config) {
        Preflight.check(config);
        WriteProbe write = WriteProbe.load(config);
        try {
            ExecProbe exec = ExecProbe.load(config);
            try {
                write.attach();
                exec.attach();
                return new LoadedProbes(write, exec);
            } catch (RuntimeException e) {
                exec.close();
                throw e;
            }
        } catch (RuntimeException e) {
            write.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            exec.close();
        } finally {
            write.close();
        }
    }
}
