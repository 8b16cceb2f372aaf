package io.miminions.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    private final DependencyGraph graph = new DependencyGraph();

    @Test
    void aTaskIsReleasedWhenItsLastDependencyCompletes() {
        graph.await("c", List.of("a", "b"));

        assertThat(graph.release("a")).isEmpty();
        assertThat(graph.release("b")).containsExactly("c");
    }

    @Test
    void oneCompletionReleasesEveryTaskWaitingOnlyForIt() {
        graph.await("x", List.of("a"));
        graph.await("y", List.of("a", "b"));
        graph.await("z", List.of("a"));

        assertThat(graph.release("a")).containsExactly("x", "z");
        assertThat(graph.release("b")).containsExactly("y");
    }

    @Test
    void aRepeatedCompletionOrOneNobodyWaitsForReleasesNothing() {
        graph.await("c", List.of("a"));

        assertThat(graph.release("a")).containsExactly("c");
        assertThat(graph.release("a")).isEmpty();
        assertThat(graph.release("unrelated")).isEmpty();
    }

    @Test
    void theDependantsOfATaskThatEndedWithoutCompletingAreDroppedEverywhere() {
        graph.await("x", List.of("a", "b"));
        graph.await("y", List.of("a"));
        graph.await("z", List.of("b"));

        assertThat(graph.dropDependantsOf("a")).containsExactly("x", "y");
        assertThat(graph.isWaiting("x")).isFalse();
        assertThat(graph.release("b")).as("x no longer waits for b").containsExactly("z");
    }

    @Test
    void aForgottenTaskIsReleasedByNothing() {
        graph.await("x", List.of("a"));
        graph.forget("x");
        graph.forget("never-waited");

        assertThat(graph.release("a")).isEmpty();
        assertThat(graph.dropDependantsOf("a")).isEmpty();
    }

    @Test
    void aTaskWithNothingToWaitForIsRefused() {
        assertThatThrownBy(() -> graph.await("c", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("c");
    }
}
