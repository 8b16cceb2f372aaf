package io.miminions.intake.service;

import java.util.List;

/** A request whose content breaks the API's rules; {@link #violations()} says which. */
public class InvalidRequestException extends RuntimeException {

    private final List<String> violations;

    public InvalidRequestException(List<String> violations) {
        super(String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
