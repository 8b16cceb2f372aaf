package io.miminions.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.miminions.model.TaskSubmissionSchema.InvalidSubmissionException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSubmissionSchemaTest {

    @Test
    void aFullSubmissionIsRead() {
        TaskSubmission submission = TaskSubmissionSchema.parse("""
                {"taskId":"6f1c2a3e-1111-4222-8333-944455556666","name":"greet-user",
                 "input":{"name":"Alice"},"priority":0,"dependencies":["a"],"timeoutSeconds":10}
                """.getBytes(UTF_8));

        assertThat(submission.name()).isEqualTo("greet-user");
        assertThat(submission.input()).isEqualTo(Map.of("name", "Alice"));
        assertThat(submission.priority()).isZero();
        assertThat(submission.dependencies()).containsExactly("a");
        assertThat(submission.timeoutSeconds()).isEqualTo(10);
    }

    @Test
    void aRetryPolicyIsRead() {
        TaskSubmission submission = TaskSubmissionSchema.parse(
                "{\"name\":\"x\",\"maxAttempts\":3,\"backoffSeconds\":0}".getBytes(UTF_8));

        assertThat(submission.maxAttempts()).isEqualTo(3);
        assertThat(submission.backoffSeconds()).isZero();
    }

    @Test
    void aRetryPolicyOutsideItsBoundsIsRefused() {
        InvalidSubmissionException e = catchThrowableOfType(InvalidSubmissionException.class,
                () -> TaskSubmissionSchema.parse("{\"name\":\"x\",\"maxAttempts\":0,\"backoffSeconds\":-1}".getBytes(UTF_8)));

        assertThat(String.join("\n", e.violations())).contains("maxAttempts").contains("backoffSeconds");
    }

    @Test
    void duplicateDependenciesAreRefused() {
        InvalidSubmissionException e = catchThrowableOfType(InvalidSubmissionException.class,
                () -> TaskSubmissionSchema.parse("{\"name\":\"x\",\"dependencies\":[\"a\",\"a\"]}".getBytes(UTF_8)));

        assertThat(e.violations()).singleElement().asString().contains("dependencies");
    }

    @Test
    void absentOptionalFieldsBecomeEmpty() {
        TaskSubmission submission = TaskSubmissionSchema.parse("{\"name\":\"x\"}".getBytes(UTF_8));

        assertThat(submission.input()).isEmpty();
        assertThat(submission.dependencies()).isEmpty();
        assertThat(submission.priority()).isNull();
    }

    @Test
    void nullOptionalFieldsCountAsAbsent() {
        TaskSubmission submission = TaskSubmissionSchema.parse(
                "{\"name\":\"x\",\"taskId\":null,\"priority\":null,\"input\":null,\"dependencies\":null}".getBytes(UTF_8));

        assertThat(submission.priority()).isNull();
        assertThat(submission.input()).isEmpty();
        assertThat(submission.dependencies()).isEmpty();
    }

    @Test
    void aClientWritesOnlyTheFieldsItSets() {
        assertThat(Json.write(TaskSubmission.of("x", null))).isEqualTo("{\"name\":\"x\",\"input\":{},\"dependencies\":[]}");
    }

    @Test
    void malformedJsonIsReportedAsSuch() {
        InvalidSubmissionException e = catchThrowableOfType(InvalidSubmissionException.class,
                () -> TaskSubmissionSchema.parse("{\"name\":".getBytes(UTF_8)));

        assertThat(e.violations()).singleElement().asString().startsWith("malformed JSON");
    }

    @Test
    void everySchemaViolationIsNamed() {
        InvalidSubmissionException e = catchThrowableOfType(InvalidSubmissionException.class,
                () -> TaskSubmissionSchema.parse("{\"priority\":101,\"colour\":\"red\"}".getBytes(UTF_8)));

        List<String> violations = e.violations();
        assertThat(violations).hasSize(3);
        assertThat(String.join("\n", violations)).contains("name").contains("priority").contains("colour");
    }
}
