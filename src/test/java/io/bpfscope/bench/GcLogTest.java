package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines of GC logs a soak's daemon wrote (-Xlog:gc=info,gc+heap=debug:file=F:timemillis,tags). */
class GcLogTest {

    /** The serial collector of scripts/jvm.options: a young collection, then the full one of jcmd GC.run. */
    private static final String SERIAL = """
            [1796388689636ms][gc,heap] GC(5) Heap Before GC invocations=5 (full 0):
            [1796388689636ms][gc,heap] GC(5)  DefNew     total 3072K, used 2719K [0x00000000fc000000, 0x00000000fc400000, 0x00000000fe000000)
            [1796388689636ms][gc,heap] GC(5)   eden space 2048K,  99% used [0x00000000fc000000, 0x00000000fc1ffbb8, 0x00000000fc200000)
            [1796388689636ms][gc,heap] GC(5)   from space 1024K,  65% used [0x00000000fc300000, 0x00000000fc3a8260, 0x00000000fc400000)
            [1796388689636ms][gc,heap] GC(5)   to   space 1024K,   0% used [0x00000000fc200000, 0x00000000fc200000, 0x00000000fc300000)
            [1796388689636ms][gc,heap] GC(5)  Tenured    total 7176K, used 6985K [0x00000000fe000000, 0x00000000fe702000, 0x0000000100000000)
            [1796388689636ms][gc,heap] GC(5)   the  space 7176K,  97% used [0x00000000fe000000, 0x00000000fe6d2470, 0x00000000fe702000)
            [1796388689641ms][gc,heap] GC(5) DefNew: 2719K(3072K)->452K(3072K) Eden: 2046K(2048K)->0K(2048K) From: 672K(1024K)->452K(1024K)
            [1796388689641ms][gc,heap] GC(5) Tenured: 6985K(7176K)->7546K(7560K)
            [1796388689641ms][gc,heap] GC(5) Heap After GC invocations=6 (full 0):
            [1796388689641ms][gc,heap] GC(5)  DefNew     total 3072K, used 452K [0x00000000fc000000, 0x00000000fc400000, 0x00000000fe000000)
            [1796388689641ms][gc,heap] GC(5)   eden space 2048K,   0% used [0x00000000fc000000, 0x00000000fc000000, 0x00000000fc200000)
            [1796388689641ms][gc,heap] GC(5)   from space 1024K,  44% used [0x00000000fc200000, 0x00000000fc271388, 0x00000000fc300000)
            [1796388689641ms][gc,heap] GC(5)   to   space 1024K,   0% used [0x00000000fc300000, 0x00000000fc300000, 0x00000000fc400000)
            [1796388689641ms][gc,heap] GC(5)  Tenured    total 7560K, used 7546K [0x00000000fe000000, 0x00000000fe762000, 0x0000000100000000)
            [1796388689641ms][gc,heap] GC(5)   the  space 7560K,  99% used [0x00000000fe000000, 0x00000000fe75e8d0, 0x00000000fe762000)
            [1796388689641ms][gc     ] GC(5) Pause Young (Allocation Failure) 9M->7M(10M) 4.746ms
            [1796388691898ms][gc,heap] GC(18) Heap Before GC invocations=18 (full 0):
            [1796388691898ms][gc,heap] GC(18)  DefNew     total 3072K, used 1091K [0x00000000fc000000, 0x00000000fc400000, 0x00000000fe000000)
            [1796388691898ms][gc,heap] GC(18)   eden space 2048K,  47% used [0x00000000fc000000, 0x00000000fc0f16f8, 0x00000000fc200000)
            [1796388691898ms][gc,heap] GC(18)   from space 1024K,  12% used [0x00000000fc200000, 0x00000000fc21f800, 0x00000000fc300000)
            [1796388691898ms][gc,heap] GC(18)   to   space 1024K,   0% used [0x00000000fc300000, 0x00000000fc300000, 0x00000000fc400000)
            [1796388691898ms][gc,heap] GC(18)  Tenured    total 11924K, used 11744K [0x00000000fe000000, 0x00000000feba5000, 0x0000000100000000)
            [1796388691898ms][gc,heap] GC(18)   the  space 11924K,  98% used [0x00000000fe000000, 0x00000000feb78050, 0x00000000feba5000)
            [1796388691920ms][gc,heap] GC(18) DefNew: 1091K(3072K)->0K(14912K) Eden: 965K(2048K)->0K(9984K) From: 126K(1024K)->0K(4928K)
            [1796388691920ms][gc,heap] GC(18) Tenured: 11744K(11924K)->11872K(19788K)
            [1796388691920ms][gc,heap] GC(18) Heap After GC invocations=19 (full 1):
            [1796388691920ms][gc,heap] GC(18)  DefNew     total 14912K, used 0K [0x00000000fc000000, 0x00000000fd360000, 0x00000000fe000000)
            [1796388691920ms][gc,heap] GC(18)   eden space 9984K,   0% used [0x00000000fc000000, 0x00000000fc000000, 0x00000000fc9c0000)
            [1796388691920ms][gc,heap] GC(18)   from space 4928K,   0% used [0x00000000fc9c0000, 0x00000000fc9c0000, 0x00000000fce90000)
            [1796388691920ms][gc,heap] GC(18)   to   space 4928K,   0% used [0x00000000fce90000, 0x00000000fce90000, 0x00000000fd360000)
            [1796388691920ms][gc,heap] GC(18)  Tenured    total 19788K, used 11872K [0x00000000fe000000, 0x00000000ff353000, 0x0000000100000000)
            [1796388691920ms][gc,heap] GC(18)   the  space 19788K,  59% used [0x00000000fe000000, 0x00000000feb98258, 0x00000000ff353000)
            [1796388691920ms][gc     ] GC(18) Pause Full (Diagnostic Command) 12M->11M(33M) 21.436ms
            """;

    /** G1 (-J -XX:+UseG1GC): a young collection. */
    private static final String G1 = """
            [1796388962018ms][gc,heap] GC(0) Heap Before GC invocations=0 (full 0):
            [1796388962018ms][gc,heap] GC(0)  garbage-first heap   total reserved 65536K, committed 65536K, used 8334K [0x00000000fc000000, 0x0000000100000000)
            [1796388962018ms][gc,heap] GC(0)   region size 1024K, 8 young (8192K), 0 survivors (0K)
            [1796388962030ms][gc,heap] GC(0) Eden regions: 8->0(7)
            [1796388962030ms][gc,heap] GC(0) Survivor regions: 0->1(1)
            [1796388962030ms][gc,heap] GC(0) Old regions: 2->3
            [1796388962030ms][gc,heap] GC(0) Humongous regions: 0->0
            [1796388962030ms][gc,heap] GC(0) Heap After GC invocations=1 (full 0):
            [1796388962030ms][gc,heap] GC(0)  garbage-first heap   total reserved 65536K, committed 65536K, used 2442K [0x00000000fc000000, 0x0000000100000000)
            [1796388962030ms][gc,heap] GC(0)   region size 1024K, 1 young (1024K), 1 survivors (1024K)
            [1796388962030ms][gc     ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 9M->2M(64M) 11.870ms
            """;

    @Test
    void eachPauseHasTheHeapEverySpaceUsedAfterIt() {
        List<GcLog.Pause> pauses = GcLog.pauses(SERIAL);

        assertThat(pauses).containsExactly(
                new GcLog.Pause(1796388689641L, "Pause Young (Allocation Failure)", 4.746, 452 + 7546),
                new GcLog.Pause(1796388691920L, "Pause Full (Diagnostic Command)", 21.436, 11872));
        assertThat(pauses).extracting(GcLog.Pause::full).containsExactly(false, true);
    }

    @Test
    void g1GivesItsWholeHeapAsOneSpace() {
        assertThat(GcLog.pauses(G1)).containsExactly(
                new GcLog.Pause(1796388962030L, "Pause Young (Normal) (G1 Evacuation Pause)", 11.870, 2442));
    }

    @Test
    void aPauseWithoutHeapLinesHasNoHeap() {
        GcLog.Pause pause = GcLog.pauses(G1.lines().toList().getLast()).getFirst();

        assertThat(pause.hasHeap()).isFalse();
        assertThat(pause.ms()).isEqualTo(11.870);
    }
}
