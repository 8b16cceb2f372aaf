package io.miminions.model;

/**
 * Task priorities and how they map onto the partitions of {@link Topics#TASKS}.
 *
 * <p>Priorities run from {@value #HIGHEST} (most urgent) to {@value #LOWEST}. The topic has
 * {@value #BANDS} partitions, one per band of ten priorities (0–9 → 0, …, 90–100 → 9), so a
 * backlog replayed partition by partition comes back most urgent band first. The exact order
 * inside and across bands is kept by the scheduler, which sees every ready task.
 */
public final class Priorities {

    public static final int HIGHEST = 0;
    public static final int LOWEST = 100;
    /** The priority of a task submitted without one: the middle of the range. */
    public static final int DEFAULT = 50;
    /** The number of priority bands, which is the partition count of {@link Topics#TASKS}. */
    public static final int BANDS = 10;

    private Priorities() {
    }

    public static boolean isValid(int priority) {
        return priority >= HIGHEST && priority <= LOWEST;
    }

    /** The partition of {@link Topics#TASKS} that carries tasks of this priority. */
    public static int partitionOf(int priority) {
        if (!isValid(priority)) {
            throw new IllegalArgumentException("priority must be between " + HIGHEST + " and " + LOWEST + ", was " + priority);
        }
        return Math.min(priority / 10, BANDS - 1);
    }
}
