package io.miminions.intake.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyRulesTest {

    @Test
    void aTaskMayDependOnDistinctOtherTasks() {
        assertThat(DependencyRules.violationsOf("t", List.of("a", "b"))).isEmpty();
        assertThat(DependencyRules.violationsOf("t", List.of())).isEmpty();
    }

    @Test
    void aTaskCannotDependOnItself() {
        assertThat(DependencyRules.violationsOf("t", List.of("a", "t"))).singleElement().asString()
                .contains("cannot depend on itself").contains("t");
    }

    @Test
    void eachDuplicateIsNamedOnce() {
        assertThat(DependencyRules.violationsOf("t", List.of("a", "b", "a", "a", "b"))).singleElement().asString()
                .endsWith("listed more than once: a, b");
    }

    @Test
    void unknownDependenciesAreNamedEach() {
        assertThat(DependencyRules.unknownAmong(List.of("a", "x", "b", "y"), Set.of("a", "b")::contains))
                .hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("unknown task id x"))
                .anySatisfy(v -> assertThat(v).contains("unknown task id y"));
        assertThat(DependencyRules.unknownAmong(List.of("a"), Set.of("a")::contains)).isEmpty();
    }

    @Test
    void aCycleNamesTheDependencyItRunsThrough() {
        assertThat(DependencyRules.cycle("t", "a")).isEqualTo("dependencies: a cycle: task t would wait for itself through a");
    }
}
