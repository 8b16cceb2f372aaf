package io.miminions.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrioritiesTest {

    @Test
    void bandsOfTenMapToPartitionsWithTheLowestPriorityInTheLastBand() {
        assertThat(Priorities.partitionOf(0)).isZero();
        assertThat(Priorities.partitionOf(9)).isZero();
        assertThat(Priorities.partitionOf(10)).isEqualTo(1);
        assertThat(Priorities.partitionOf(50)).isEqualTo(5);
        assertThat(Priorities.partitionOf(99)).isEqualTo(9);
        assertThat(Priorities.partitionOf(100)).isEqualTo(Priorities.BANDS - 1);
    }

    @Test
    void prioritiesOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> Priorities.partitionOf(-1)).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> Priorities.partitionOf(101)).hasMessageContaining("was 101");
    }
}
