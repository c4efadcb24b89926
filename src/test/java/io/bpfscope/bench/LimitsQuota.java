package io.bpfscope.bench;

/**
 * What one CPU quota of a limits sweep gave: the combined load's outcome,
 * the keep-up probe's, and the state the container ended in (after docker
 * stop, or when the run failed); when the run could not be made (the
 * container died, say), why, with whatever outcomes came before ({@code
 * null} for those that did not, and for the end of a container that never
 * became ready).
 */
record LimitsQuota(String cpus, LimitsOutcome load, LimitsOutcome keepUp, LimitsState end, String failure) {

    boolean countingExact() {
        return load != null && load.account().countingExact();
    }

    boolean keptUp() {
        return keepUp != null && keepUp.keptUp();
    }
}
