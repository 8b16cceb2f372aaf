package io.miminions.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's loop as its meters count it ({@code /q/metrics}): how many steps it took, how long
 * they and their transactions took, and how long inputs waited for them. Read before and after a
 * workload, the difference says how much of a task's way the single loop holds.
 */
final class SchedulerSteps {

    /** The meters read, by their Prometheus names without {@code _seconds_count} and {@code _seconds_sum}. */
    static final String INPUT_WAIT = "miminions_scheduler_input_wait";
    static final String STEP = "miminions_scheduler_step";
    static final String STEP_SAVE = "miminions_scheduler_step_save";
    private static final List<String> METERS = List.of(INPUT_WAIT, STEP, STEP_SAVE);

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Each meter's count and its sum in seconds, by name. */
    record Snapshot(Map<String, Double> counts, Map<String, Double> sums) {

        /**
         * Per task since {@code before}: steps, and the mean of each meter in milliseconds (a step's,
         * its transaction's, an input's wait).
         */
        Map<String, Object> since(Snapshot before, int tasks) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("steps_per_task", Percentiles.round(delta(counts, before.counts, STEP) / tasks));
            result.put("step_mean_ms", meanMillis(before, STEP));
            result.put("transaction_mean_ms", meanMillis(before, STEP_SAVE));
            result.put("input_wait_mean_ms", meanMillis(before, INPUT_WAIT));
            return result;
        }

        private double meanMillis(Snapshot before, String meter) {
            double count = delta(counts, before.counts, meter);
            return count == 0 ? 0 : Percentiles.round(delta(sums, before.sums, meter) * 1000 / count);
        }

        private static double delta(Map<String, Double> after, Map<String, Double> before, String meter) {
            return after.getOrDefault(meter, 0.0) - before.getOrDefault(meter, 0.0);
        }
    }

    private SchedulerSteps() {
    }

    /** The scheduler's meters now. */
    static Snapshot read(URI scheduler) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(scheduler.resolve("/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the scheduler's /q/metrics answered " + response.statusCode());
        }
        return parse(response.body());
    }

    /** The meters' counts and sums in a Prometheus exposition. */
    static Snapshot parse(String exposition) {
        Map<String, Double> counts = new HashMap<>();
        Map<String, Double> sums = new HashMap<>();
        exposition.lines().filter(line -> !line.startsWith("#")).forEach(line -> {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                return;
            }
            String series = line.substring(0, space);
            for (String meter : METERS) {
                if (series.equals(meter + "_seconds_count")) {
                    counts.put(meter, Double.parseDouble(line.substring(space + 1)));
                } else if (series.equals(meter + "_seconds_sum")) {
                    sums.put(meter, Double.parseDouble(line.substring(space + 1)));
                }
            }
        });
        return new Snapshot(counts, sums);
    }
}
