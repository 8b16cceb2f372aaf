package io.miminions.agenthost.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetainedHeapTest {

    private final RetainedHeap heap = new RetainedHeap(type -> Thread.class.isAssignableFrom(type));

    @Test
    void sizesObjectsAndArraysForCompressedReferences() {
        assertThat(heap.measure(new byte[1000], Long.MAX_VALUE)).isEqualTo(1016);
        assertThat(heap.measure(new long[3], Long.MAX_VALUE)).isEqualTo(40);
        assertThat(heap.measure(new Object[3], Long.MAX_VALUE)).isEqualTo(32);
        assertThat(heap.measure(new Pair(null, null), Long.MAX_VALUE)).as("12 + 4 + 4 + 8, aligned").isEqualTo(32);
        assertThat(heap.measure("abc", Long.MAX_VALUE)).as("String 24 + byte[3] 24").isEqualTo(48);
    }

    @Test
    void countsWhatIsReachableOnceAndFollowsCycles() {
        byte[] shared = new byte[4096];
        Pair first = new Pair(shared, null);
        Pair second = new Pair(shared, first);
        first.next = second;

        assertThat(heap.measure(first, Long.MAX_VALUE)).isEqualTo(32 + 32 + 4112);
    }

    @Test
    void walksJdkCollectionsAndMapsThroughTheirApi() {
        List<byte[]> list = new ArrayList<>();
        list.add(new byte[1 << 20]);
        list.add(new byte[1 << 20]);
        Map<String, byte[]> map = new HashMap<>();
        map.put("a", new byte[1 << 20]);

        assertThat(heap.measure(list, Long.MAX_VALUE)).isBetween(2L << 20, (2L << 20) + 200);
        assertThat(heap.measure(map, Long.MAX_VALUE)).isBetween(1L << 20, (1L << 20) + 200);
    }

    @Test
    void skipsSharedTypesAndStaticFields() {
        assertThat(heap.measure(new Holder(Thread.currentThread()), Long.MAX_VALUE)).isEqualTo(16);
    }

    @Test
    void stopsOnceOverTheBound() {
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            list.add(new byte[1 << 20]);
        }

        long counted = heap.measure(list, 10L << 20);

        assertThat(counted).isGreaterThan(10L << 20).isLessThan(12L << 20);
    }

    private static final class Pair {
        static final byte[] NOT_COUNTED = new byte[1 << 20];
        Object value;
        Object next;
        long stamp;

        Pair(Object value, Object next) {
            this.value = value;
            this.next = next;
        }
    }

    private record Holder(Thread thread) {
    }
}
