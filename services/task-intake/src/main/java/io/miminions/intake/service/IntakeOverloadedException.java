package io.miminions.intake.service;

/**
 * The intake has {@code max-pending-submissions} REST submissions in flight already: this one is
 * refused before it touches the database, so nothing was stored and the client may submit again.
 */
public class IntakeOverloadedException extends RuntimeException {

    public IntakeOverloadedException(int limit) {
        super("task-intake has " + limit + " submissions in flight, its max-pending-submissions; submit again shortly");
    }
}
