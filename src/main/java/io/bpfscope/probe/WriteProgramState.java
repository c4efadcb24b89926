package io.bpfscope.probe;

/**
 * What keeps state in the write program's maps (the PID filter): given the
 * loaded program before it is attached, so that saved state is in force
 * from its first write, and let go before the program is unloaded.
 */
public interface WriteProgramState {

    void bind(WriteProbe probe);

    void unbind();
}
