package io.miminions.localfleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An infrastructure of its own, closed by the test: nothing it started may survive. */
class ClosingInfrastructureTest {

    @Test
    void closeEndsEveryProcessAndFreesThePorts(@TempDir Path workDir) throws IOException {
        Set<Long> before = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        FleetInfrastructure infrastructure = FleetInfrastructure.start(workDir);
        List<ProcessHandle> started = ProcessHandle.current().descendants()
                .filter(process -> !before.contains(process.pid()))
                .collect(Collectors.toList());
        Path postmasterPid = workDir.resolve("postgres/data/postmaster.pid");
        if (Files.exists(postmasterPid)) { // machine binaries: the postmaster is daemonised, not our descendant
            ProcessHandle.of(Long.parseLong(Files.readAllLines(postmasterPid).getFirst().trim())).ifPresent(started::add);
        }
        InetSocketAddress kafka = address(infrastructure.kafkaBootstrapServers());
        InetSocketAddress postgres = new InetSocketAddress(infrastructure.postgresHost(), infrastructure.postgresPort());
        assertThat(started).as("processes started for the infrastructure").isNotEmpty();
        assertThat(connects(kafka)).isTrue();
        assertThat(connects(postgres)).isTrue();

        infrastructure.close();

        assertThat(started).noneMatch(ClosingInfrastructureTest::isRunning);
        assertThatThrownBy(() -> connects(kafka)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> connects(postgres)).isInstanceOf(ConnectException.class);
    }

    /**
     * Alive and not a zombie: the daemonised postmaster's parent is PID 1, which on some machines
     * reaps exited children late, and {@link ProcessHandle#isAlive()} counts zombies as alive.
     */
    private static boolean isRunning(ProcessHandle process) {
        try {
            return process.isAlive() && Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                    .noneMatch(line -> line.startsWith("State:") && line.contains("Z"));
        } catch (IOException gone) {
            return false;
        }
    }

    private static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }

    private static boolean connects(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        }
    }
}
