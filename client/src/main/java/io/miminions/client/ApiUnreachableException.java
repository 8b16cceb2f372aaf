package io.miminions.client;

import java.net.URI;

/** The task-intake API did not answer: the fleet is not running, or the address is wrong. */
public class ApiUnreachableException extends MiminionsException {

    public ApiUnreachableException(URI uri, Throwable cause) {
        super("the miminions API at " + uri + " is not reachable (is the fleet running?): " + cause, cause);
    }
}
