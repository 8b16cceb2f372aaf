package io.miminions.benchmark;

import io.miminions.localfleet.LocalFleet;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Resident memory of the fleet's processes, read from /proc (Linux). */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** RSS in MB of each service, of the Kafka broker and of PostgreSQL (all its processes). */
    static Map<String, Object> of(LocalFleet fleet) {
        Map<String, Object> rss = new LinkedHashMap<>();
        for (String service : LocalFleet.SERVICES) {
            rss.put(service, megabytes(descendantsWhoseCommandContains("services/" + service + "/")));
        }
        rss.put("kafka", megabytes(descendantsWhoseCommandContains("KafkaBrokerMain")));
        rss.put("postgresql", megabytes(postgres(fleet.infrastructure().workDir())));
        return rss;
    }

    private static Stream<ProcessHandle> descendantsWhoseCommandContains(String text) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false));
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

    private static long megabytes(Stream<ProcessHandle> processes) {
        return processes.mapToLong(ProcessMemory::rssKilobytes).sum() / 1024;
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
