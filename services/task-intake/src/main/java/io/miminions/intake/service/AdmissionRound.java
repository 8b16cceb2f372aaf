package io.miminions.intake.service;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The acceptance rules applied, in order, to the submissions of one transaction (one REST submission,
 * or a batch read from Kafka), from what the database said once at its start: the task ids among
 * them and their dependencies that are accepted already, and the queue length. A task accepted
 * earlier in the round counts as accepted for the ones after it, and takes a place in the queue.
 *
 * <p>The cycle check needs the database ({@code IntakeTasks#cycleThrough}); the round gives it where
 * to start ({@link #cycleSeeds}).
 */
final class AdmissionRound {

    private final Set<String> acceptedBefore;
    private final Map<String, List<String>> acceptedNow = new HashMap<>();
    private final int queueLimit;
    private long queueLength;

    /**
     * @param acceptedBefore the tasks accepted before the round, at least among the ids it will ask about
     * @param queueLength    the unfinished tasks before the round
     * @param queueLimit     the most unfinished tasks the intake holds
     */
    AdmissionRound(Set<String> acceptedBefore, long queueLength, int queueLimit) {
        this.acceptedBefore = acceptedBefore;
        this.queueLength = queueLength;
        this.queueLimit = queueLimit;
    }

    /** Whether the task is accepted already, before the round or earlier in it: a resubmission, which changes nothing. */
    boolean isAccepted(String taskId) {
        return acceptedBefore.contains(taskId) || acceptedNow.containsKey(taskId);
    }

    /**
     * Checks that every dependency is an accepted task.
     *
     * @throws InvalidDependenciesException naming each unknown one
     */
    void checkDependenciesKnown(List<String> dependencies) {
        List<String> unknown = DependencyRules.unknownAmong(dependencies, this::isAccepted);
        if (!unknown.isEmpty()) {
            throw new InvalidDependenciesException(unknown);
        }
    }

    /**
     * Where the database's cycle check starts for a task with these (accepted) dependencies: each
     * dependency, standing for itself, and, through the tasks accepted earlier in this round (not
     * stored yet, so the database cannot follow them), their dependencies, standing for the new
     * task's dependency they were reached from.
     */
    Map<String, String> cycleSeeds(List<String> dependencies) {
        Map<String, String> seeds = new LinkedHashMap<>();
        for (String dependency : dependencies) {
            Set<String> seen = new HashSet<>();
            Deque<String> open = new ArrayDeque<>(List.of(dependency));
            while (!open.isEmpty()) {
                String task = open.pop();
                if (seen.add(task)) {
                    seeds.putIfAbsent(task, dependency);
                    open.addAll(acceptedNow.getOrDefault(task, List.of()));
                }
            }
        }
        return seeds;
    }

    /**
     * Takes a place in the queue for the task and counts it as accepted from now on.
     *
     * @throws QueueFullException when the queue holds its limit
     */
    void admit(String taskId, List<String> dependencies) {
        if (queueLength >= queueLimit) {
            throw new QueueFullException(queueLimit);
        }
        queueLength++;
        acceptedNow.put(taskId, dependencies);
    }
}
