package io.miminions.intake.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SubmissionRoundsTest {

    private final List<List<String>> rounds = new ArrayList<>();
    private final List<CompletableFuture<List<String>>> outcomes = new ArrayList<>();
    private final SubmissionRounds<String, String> submissions = new SubmissionRounds<>(round -> {
        rounds.add(round);
        CompletableFuture<List<String>> outcome = new CompletableFuture<>();
        outcomes.add(outcome);
        return Uni.createFrom().completionStage(outcome);
    });

    @Test
    void submissionsThatArriveWhileARoundRunsShareTheNextRound() {
        CompletableFuture<String> a = submit("a");
        CompletableFuture<String> b = submit("b");
        CompletableFuture<String> c = submit("c");
        assertThat(rounds).containsExactly(List.of("a"));

        outcomes.getFirst().complete(List.of("A"));

        assertThat(a).isCompletedWithValue("A");
        assertThat(rounds).containsExactly(List.of("a"), List.of("b", "c"));
        assertThat(b).isNotDone();

        outcomes.get(1).complete(List.of("B", "C"));

        assertThat(b).isCompletedWithValue("B");
        assertThat(c).isCompletedWithValue("C");
    }

    @Test
    void aFailedRoundFailsItsSubmissionsAndTheNextRoundStillRuns() {
        CompletableFuture<String> a = submit("a");
        CompletableFuture<String> b = submit("b");

        outcomes.getFirst().completeExceptionally(new IllegalStateException("database down"));

        assertThat(a).isCompletedExceptionally();
        assertThat(rounds).containsExactly(List.of("a"), List.of("b"));
        outcomes.get(1).complete(List.of("B"));
        assertThat(b).isCompletedWithValue("B");
    }

    private CompletableFuture<String> submit(String submission) {
        return submissions.submit(submission).subscribeAsCompletionStage();
    }
}
