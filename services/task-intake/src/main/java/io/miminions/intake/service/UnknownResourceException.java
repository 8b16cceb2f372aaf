package io.miminions.intake.service;

/** A task or agent id that the intake does not know. */
public class UnknownResourceException extends RuntimeException {

    public UnknownResourceException(String kind, String id) {
        super("no " + kind + " with id " + id);
    }
}
