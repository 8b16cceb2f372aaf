package io.miminions.client;

/** The root of every failure the client reports. */
public class MiminionsException extends RuntimeException {

    public MiminionsException(String message) {
        super(message);
    }

    public MiminionsException(String message, Throwable cause) {
        super(message, cause);
    }
}
