package io.miminions.intake.rest;

import io.miminions.intake.service.InvalidRequestException;
import io.miminions.intake.service.TaskIntake;
import io.miminions.model.TaskSubmission;
import io.miminions.model.TaskSubmissionSchema;
import io.miminions.model.api.Problem;
import io.miminions.model.api.TaskView;
import io.miminions.observability.TraceHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/tasks")
@Tag(name = "tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    private final TaskIntake intake;

    TaskResource(TaskIntake intake) {
        this.intake = intake;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a task",
            description = "The body is checked against the task-submission JSON Schema, the same contract as records on miminions.tasks.submit. "
                    + "Submitting a taskId that is already known answers the stored task.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = TaskSubmission.class)))
    @APIResponse(responseCode = "201", description = "Accepted", content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "400", description = "Not valid JSON, not a valid submission, or dependencies that are "
            + "unknown task ids, the task itself, duplicates or a cycle",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Queue full: the fleet holds max-task-queue-size unfinished tasks",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Overloaded: max-pending-submissions submissions are in flight; nothing was "
            + "stored, submit again after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submit(byte[] body,
            @Parameter(description = "W3C trace context of the caller; the task's trace continues it")
            @HeaderParam(TraceHeaders.TRACEPARENT) String traceparent) {
        TaskSubmission submission = TaskSubmissionSchema.parse(body == null ? new byte[0] : body);
        return intake.submit(submission, TraceHeaders.parse(traceparent))
                .map(task -> Response.created(URI.create("/tasks/" + task.taskId())).entity(task).build());
    }

    @GET
    @Path("/{taskId}")
    @Operation(summary = "Read a task: its status and, once it ended, its output or error")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "404", description = "Unknown task",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<TaskView> get(@PathParam("taskId") String taskId) {
        return intake.find(taskId);
    }

    @POST
    @Path("/{taskId}/cancel")
    @Operation(summary = "Cancel a task",
            description = "Asks the scheduler to cancel a task that has not ended: a pending or queued task is cancelled at once, "
                    + "a running one is interrupted on its agent. The task turns CANCELLED (and its dependants FAILED) once the "
                    + "scheduler has done it; wait for it with GET /tasks/{taskId}/wait. A task that ends otherwise first keeps that outcome.")
    @APIResponse(responseCode = "202", description = "Cancel requested; the task as it is now",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "404", description = "Unknown task",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The task has ended already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> cancel(@PathParam("taskId") String taskId) {
        return intake.requestCancel(taskId).map(task -> Response.accepted(task).build());
    }

    @GET
    @Path("/{taskId}/wait")
    @Operation(summary = "Wait for a task to end",
            description = "A long poll: answers as soon as the task is COMPLETED, FAILED, TIMED_OUT or CANCELLED, "
                    + "or with the task as it is when timeoutSeconds pass. The wait is capped by the service's max-wait-seconds.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "404", description = "Unknown task",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<TaskView> await(@PathParam("taskId") String taskId,
            @Parameter(description = "How long to wait, in seconds") @QueryParam("timeoutSeconds") @DefaultValue("30") int timeoutSeconds) {
        if (timeoutSeconds < 0) {
            throw new InvalidRequestException(List.of("timeoutSeconds: must not be negative"));
        }
        return intake.awaitFinal(taskId, Duration.ofSeconds(timeoutSeconds));
    }
}
