package io.miminions.audit;

/** A query parameter that cannot be read; the REST API answers it with 400 and a problem body. */
public class InvalidQueryException extends RuntimeException {

    /** @param detail which parameter is wrong and why, for the reader of the answer */
    public InvalidQueryException(String detail) {
        super(detail);
    }
}
