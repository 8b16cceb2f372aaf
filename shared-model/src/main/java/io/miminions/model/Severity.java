package io.miminions.model;

/** How much an event matters, from least to most. */
public enum Severity {
    DEBUG,
    INFO,
    WARNING,
    ERROR,
    CRITICAL;

    public boolean isAtLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
