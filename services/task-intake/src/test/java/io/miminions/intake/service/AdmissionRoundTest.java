package io.miminions.intake.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdmissionRoundTest {

    @Test
    void aTaskAcceptedEarlierInTheRoundIsKnownToTheOnesAfterIt() {
        AdmissionRound round = new AdmissionRound(Set.of("stored"), 0, 10);
        assertThatThrownBy(() -> round.checkDependenciesKnown(List.of("stored", "new")))
                .isInstanceOf(InvalidDependenciesException.class).hasMessageContaining("unknown task id new");

        round.admit("new", List.of("stored"));

        round.checkDependenciesKnown(List.of("stored", "new"));
        assertThat(round.isAccepted("new")).isTrue();
        assertThat(round.isAccepted("stored")).isTrue();
        assertThat(round.isAccepted("other")).isFalse();
    }

    @Test
    void theQueueLimitCountsTheTasksAcceptedInTheRound() {
        AdmissionRound round = new AdmissionRound(Set.of(), 8, 10);
        round.admit("a", List.of());
        round.admit("b", List.of());

        assertThatThrownBy(() -> round.admit("c", List.of())).isInstanceOf(QueueFullException.class);
        assertThat(round.isAccepted("c")).isFalse();
    }

    @Test
    void theCycleCheckStartsFromTheDependenciesAndWhatTasksOfTheRoundDependOn() {
        AdmissionRound round = new AdmissionRound(Set.of("stored-1", "stored-2"), 0, 10);
        round.admit("a", List.of("stored-1"));
        round.admit("b", List.of("a", "stored-2"));

        assertThat(round.cycleSeeds(List.of("b", "stored-2"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "b", "b", "a", "b", "stored-1", "b", "stored-2", "b"));
        assertThat(round.cycleSeeds(List.of("stored-1"))).containsExactlyEntriesOf(Map.of("stored-1", "stored-1"));
    }
}
