package io.miminions.intake.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rules a new task's dependencies keep: each names a task the intake has accepted, none is the
 * task itself, none appears twice, and none leads back to the task (a cycle).
 */
public final class DependencyRules {

    private DependencyRules() {
    }

    /** What is wrong with the dependencies on their own: the task itself among them, or duplicates. */
    public static List<String> violationsOf(String taskId, List<String> dependencies) {
        List<String> violations = new ArrayList<>();
        if (dependencies.contains(taskId)) {
            violations.add("dependencies: a task cannot depend on itself (" + taskId + ")");
        }
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        dependencies.stream().filter(id -> !seen.add(id)).forEach(duplicates::add);
        if (!duplicates.isEmpty()) {
            violations.add("dependencies: listed more than once: " + String.join(", ", duplicates));
        }
        return violations;
    }

    /** The dependencies that are not known task ids, each as a violation. */
    public static List<String> unknownAmong(List<String> dependencies, Predicate<String> known) {
        return dependencies.stream()
                .filter(known.negate())
                .distinct()
                .map(id -> "dependencies: unknown task id " + id + " (a dependency must be a task the fleet has accepted)")
                .toList();
    }

    /** The violation for a task that would depend on itself through {@code via}, one of its dependencies. */
    public static String cycle(String taskId, String via) {
        return "dependencies: a cycle: task " + taskId + " would wait for itself through " + via;
    }
}
