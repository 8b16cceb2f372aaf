package io.miminions.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class FleetProcessesTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "the thread names are read from /proc")
    void findsTheJitCompilerThreadsOfARunningJvm() {
        assertThat(FleetProcesses.compilerThreads(ProcessHandle.current().pid()))
                .isNotEmpty()
                .allSatisfy(thread -> assertThat(Files.exists(thread.resolve("stat"))).isTrue());
    }

    @Test
    void readsUserAndSystemTicksPastANameWithSpacesAndParentheses(@TempDir Path dir) throws IOException {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "4242 (C2 Compiler) (x)) S 1 4242 4242 0 -1 4194368 120 0 0 0 731 29 0 0 20 0 1 0 77 0 0\n");

        assertThat(FleetProcesses.ticks(stat)).isEqualTo(760);
    }

    @Test
    void aProcessThatIsGoneHasNoTicks(@TempDir Path dir) {
        assertThat(FleetProcesses.ticks(dir.resolve("stat"))).isZero();
    }

    @Test
    void theCompilersShareIsPerJvmAndForTheFleetWithPostgresqlInItsTotal() {
        FleetProcesses.CpuTicks before = new FleetProcesses.CpuTicks(
                Map.of("scheduler", 1_000L, "kafka", 500L, "postgresql", 300L),
                Map.of("scheduler", 100L, "kafka", 50L, "postgresql", 0L));
        FleetProcesses.CpuTicks after = new FleetProcesses.CpuTicks(
                Map.of("scheduler", 1_400L, "kafka", 700L, "postgresql", 700L),
                Map.of("scheduler", 200L, "kafka", 70L, "postgresql", 0L));

        assertThat(after.compilerPercentSince(before)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "scheduler", 25.0,
                "kafka", 10.0,
                "fleet", 12.0));
    }
}
