package io.miminions.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerStepsTest {

    private static final String BEFORE = """
            # HELP miminions_scheduler_step_seconds A step of the scheduler's loop, until its records are handed to Kafka
            # TYPE miminions_scheduler_step_seconds histogram
            miminions_scheduler_step_seconds_bucket{le="0.001"} 3
            miminions_scheduler_step_seconds_count 10
            miminions_scheduler_step_seconds_sum 0.02
            miminions_scheduler_step_save_seconds_count 4
            miminions_scheduler_step_save_seconds_sum 0.01
            miminions_scheduler_input_wait_seconds_count 12
            miminions_scheduler_input_wait_seconds_sum 0.006
            miminions_scheduler_step_seconds_max 0.004
            """;

    private static final String AFTER = """
            miminions_scheduler_step_seconds_count 510
            miminions_scheduler_step_seconds_sum 1.52
            miminions_scheduler_step_save_seconds_count 404
            miminions_scheduler_step_save_seconds_sum 1.21
            miminions_scheduler_input_wait_seconds_count 612
            miminions_scheduler_input_wait_seconds_sum 0.606
            """;

    @Test
    void readsTheCountsAndSumsOfTheLoopsMetersAndNothingElse() {
        SchedulerSteps.Snapshot snapshot = SchedulerSteps.parse(BEFORE);

        assertThat(snapshot.counts()).isEqualTo(Map.of(SchedulerSteps.STEP, 10.0, SchedulerSteps.STEP_SAVE, 4.0,
                SchedulerSteps.INPUT_WAIT, 12.0));
        assertThat(snapshot.sums()).isEqualTo(Map.of(SchedulerSteps.STEP, 0.02, SchedulerSteps.STEP_SAVE, 0.01,
                SchedulerSteps.INPUT_WAIT, 0.006));
    }

    @Test
    void perTaskFiguresAreTheDifferencesBetweenTwoReadings() {
        Map<String, Object> perTask = SchedulerSteps.parse(AFTER).since(SchedulerSteps.parse(BEFORE), 250);

        assertThat(perTask).containsEntry("steps_per_task", 2.0)       // (510 - 10) / 250
                .containsEntry("step_mean_ms", 3.0)                    // 1.5 s / 500 steps
                .containsEntry("transaction_mean_ms", 3.0)             // 1.2 s / 400 transactions
                .containsEntry("input_wait_mean_ms", 1.0);             // 0.6 s / 600 inputs
    }

    @Test
    void aMeterThatDidNotMoveHasAMeanOfZero() {
        SchedulerSteps.Snapshot same = SchedulerSteps.parse(BEFORE);

        assertThat(same.since(same, 1)).containsEntry("steps_per_task", 0.0).containsEntry("transaction_mean_ms", 0.0);
    }
}
