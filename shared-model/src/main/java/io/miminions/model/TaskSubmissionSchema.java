package io.miminions.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Checks submissions against {@code schemas/task-submission.schema.json}, the published contract
 * for records on {@link Topics#TASKS_SUBMIT} and bodies of {@code POST /tasks}.
 */
public final class TaskSubmissionSchema {

    public static final String RESOURCE = "/schemas/task-submission.schema.json";

    private static final JsonSchema SCHEMA = load();

    private TaskSubmissionSchema() {
    }

    /**
     * Parses and validates one submission.
     *
     * @throws InvalidSubmissionException naming every violation when the bytes are not JSON or break the schema
     */
    public static TaskSubmission parse(byte[] json) {
        JsonNode tree;
        try {
            tree = Json.tree(json);
        } catch (IllegalArgumentException e) {
            throw new InvalidSubmissionException(List.of(e.getMessage()));
        }
        return validate(tree);
    }

    /** Validates an already parsed submission. */
    public static TaskSubmission validate(JsonNode tree) {
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new InvalidSubmissionException(List.of("the submission is empty"));
        }
        List<String> violations = SCHEMA.validate(tree).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
        if (!violations.isEmpty()) {
            throw new InvalidSubmissionException(violations);
        }
        return Json.convert(tree, TaskSubmission.class);
    }

    private static JsonSchema load() {
        try (InputStream in = TaskSubmissionSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A submission that is not valid JSON or breaks the schema; {@link #violations()} says how. */
    public static final class InvalidSubmissionException extends IllegalArgumentException {
        private final List<String> violations;

        public InvalidSubmissionException(List<String> violations) {
            super(String.join("; ", violations));
            this.violations = List.copyOf(violations);
        }

        public List<String> violations() {
            return violations;
        }
    }
}
