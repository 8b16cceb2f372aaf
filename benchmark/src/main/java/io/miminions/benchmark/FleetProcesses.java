package io.miminions.benchmark;

import io.miminions.localfleet.LocalFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/** Resident memory and CPU time of the fleet's processes, read from /proc (Linux). */
final class FleetProcesses {

    private FleetProcesses() {
    }

    /** RSS in MB of each service, of the Kafka broker and of PostgreSQL (all its processes). */
    static Map<String, Object> residentMegabytes(LocalFleet fleet) {
        Map<String, Object> megabytes = new LinkedHashMap<>();
        sum(fleet, FleetProcesses::rssKilobytes).forEach((name, kilobytes) -> megabytes.put(name, kilobytes / 1024));
        return megabytes;
    }

    /** CPU time (user and system) each of the same processes has used so far, in milliseconds. */
    static Map<String, Long> cpuMillis(LocalFleet fleet) {
        return sum(fleet, process -> process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L));
    }

    private static Map<String, Long> sum(LocalFleet fleet, ToLongFunction<ProcessHandle> measure) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String service : LocalFleet.SERVICES) {
            sums.put(service, descendantsWhoseCommandContains("services/" + service + "/").mapToLong(measure).sum());
        }
        sums.put("kafka", descendantsWhoseCommandContains("KafkaBrokerMain").mapToLong(measure).sum());
        sums.put("postgresql", postgres(fleet.infrastructure().workDir()).mapToLong(measure).sum());
        return sums;
    }

    private static Stream<ProcessHandle> descendantsWhoseCommandContains(String text) {
        return ProcessHandle.current().descendants().filter(p -> commandLine(p).contains(text));
    }

    /** The whole command line: {@code ProcessHandle.Info} may cut a long one (the broker's class path) short. */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    /** The postmaster named in the fleet's {@code postmaster.pid}, and its children. */
    private static Stream<ProcessHandle> postgres(Path workDir) {
        try (Stream<Path> files = Files.walk(workDir, 5, FileVisitOption.FOLLOW_LINKS)) {
            Path pidFile = files.filter(f -> f.getFileName().toString().equals("postmaster.pid")).findFirst().orElse(null);
            if (pidFile == null) {
                return Stream.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            return ProcessHandle.of(pid).stream().flatMap(postmaster -> Stream.concat(Stream.of(postmaster), postmaster.children()));
        } catch (IOException | RuntimeException unreadable) {
            return Stream.empty();
        }
    }

    private static long rssKilobytes(ProcessHandle process) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .sum();
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
