package io.miminions.benchmark;

import io.miminions.localfleet.LocalFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Resident memory and CPU time of the fleet's processes on this machine, read from /proc (Linux):
 * each service's JVMs, the Kafka broker, and PostgreSQL (all its processes) when its
 * {@code postmaster.pid} is in the fleet's work directory. A process not found is left out.
 */
final class FleetProcesses {

    /** The name PostgreSQL's processes are summed under. */
    private static final String POSTGRESQL = "postgresql";

    private final Supplier<Stream<ProcessHandle>> candidates;
    private final Path workDir;

    private FleetProcesses(Supplier<Stream<ProcessHandle>> candidates, Path workDir) {
        this.candidates = candidates;
        this.workDir = workDir;
    }

    /** The processes of a fleet this JVM started: its descendants. */
    static FleetProcesses startedBy(LocalFleet fleet) {
        return new FleetProcesses(ProcessHandle.current()::descendants, fleet.infrastructure().workDir());
    }

    /**
     * The processes of a running fleet started from this project's packaged services (such as the one
     * {@code ./mvnw -Pdemo} keeps up): every process on this machine, PostgreSQL in {@code workDir}.
     */
    static FleetProcesses onThisMachine(Path workDir) {
        return new FleetProcesses(ProcessHandle::allProcesses, workDir);
    }

    /** RSS in MB of each service, of the Kafka broker and of PostgreSQL (all its processes). */
    Map<String, Object> residentMegabytes() {
        Map<String, Object> megabytes = new LinkedHashMap<>();
        sum(FleetProcesses::rssKilobytes).forEach((name, kilobytes) -> megabytes.put(name, kilobytes / 1024));
        return megabytes;
    }

    /** CPU time (user and system) each of the same processes has used so far, in milliseconds. */
    Map<String, Long> cpuMillis() {
        return sum(process -> process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L));
    }

    /**
     * CPU time (user and system) of each process so far, in the kernel's clock ticks, and the part
     * of it that went to the JVMs' JIT compiler threads: a ratio of the two says how much of a
     * workload's CPU was compiling. Threads that ended are counted in the process's total only, so
     * the compilers' share is, if anything, too low.
     */
    CpuTicks cpuTicks() {
        return new CpuTicks(sum(process -> ticks(Path.of("/proc", String.valueOf(process.pid()), "stat"))),
                sum(FleetProcesses::compilerTicks));
    }

    /** Clock ticks of CPU time, per process: all of it, and its JIT compilers'. */
    record CpuTicks(Map<String, Long> all, Map<String, Long> compiler) {

        /**
         * The share of the CPU time between {@code before} and this sample that went to the JIT
         * compilers, in percent, per JVM and for the whole fleet (PostgreSQL included in its total).
         */
        Map<String, Object> compilerPercentSince(CpuTicks before) {
            Map<String, Object> percent = new LinkedHashMap<>();
            long fleetAll = 0;
            long fleetCompiler = 0;
            for (Map.Entry<String, Long> process : all.entrySet()) {
                long used = process.getValue() - before.all().getOrDefault(process.getKey(), 0L);
                long compiling = compiler.getOrDefault(process.getKey(), 0L) - before.compiler().getOrDefault(process.getKey(), 0L);
                fleetAll += used;
                fleetCompiler += compiling;
                if (!process.getKey().equals(POSTGRESQL)) {
                    percent.put(process.getKey(), percentOf(compiling, used));
                }
            }
            percent.put("fleet", percentOf(fleetCompiler, fleetAll));
            return percent;
        }

        private static double percentOf(long part, long whole) {
            return whole <= 0 ? 0 : Percentiles.round(part * 100.0 / whole);
        }
    }

    private static long compilerTicks(ProcessHandle process) {
        return compilerThreads(process.pid()).stream().mapToLong(thread -> ticks(thread.resolve("stat"))).sum();
    }

    /**
     * The JIT compiler threads of a running JVM, as their directories under {@code /proc/<pid>/task}:
     * HotSpot names them "C1 CompilerThread…" and "C2 CompilerThread…", which the kernel cuts to 15
     * characters.
     */
    static List<Path> compilerThreads(long pid) {
        try (Stream<Path> threads = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return threads.filter(thread -> threadName(thread).matches("C[12] CompilerThre.*")).toList();
        } catch (IOException | RuntimeException gone) {
            return List.of();
        }
    }

    private static String threadName(Path thread) {
        try {
            return Files.readString(thread.resolve("comm")).trim();
        } catch (IOException gone) {
            return "";
        }
    }

    /**
     * User and system time, in clock ticks, from a {@code stat} file of /proc: its 14th and 15th
     * fields. They are counted from the end of the parenthesised name, which may hold spaces and
     * parentheses itself. 0 when the process or thread is gone.
     */
    static long ticks(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** The measure summed over each process found, by name; names with no process are left out. */
    private Map<String, Long> sum(ToLongFunction<ProcessHandle> measure) {
        Map<String, List<ProcessHandle>> found = new LinkedHashMap<>();
        for (String service : LocalFleet.SERVICES) {
            found.put(service, whoseCommandContains("services/" + service + "/"));
        }
        found.put("kafka", whoseCommandContains("KafkaBrokerMain"));
        found.put(POSTGRESQL, postgres(workDir).toList());
        Map<String, Long> sums = new LinkedHashMap<>();
        found.forEach((name, processes) -> {
            if (!processes.isEmpty()) {
                sums.put(name, processes.stream().mapToLong(measure).sum());
            }
        });
        return sums;
    }

    private List<ProcessHandle> whoseCommandContains(String text) {
        return candidates.get().filter(p -> commandLine(p).contains(text)).toList();
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
