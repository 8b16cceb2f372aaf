package io.miminions.localfleet;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for a Quarkus service in {@link ServiceProcessTest}: serves {@code /q/health/ready} on
 * {@code quarkus.http.port}, answering 503 until {@code standin.ready-after-ms} have passed, then 200.
 * With {@code standin.exit-code} it exits at once with that code. It prints the fleet configuration
 * it was given and the names of its garbage collectors. One class, no lambdas, so that
 * {@link #packInto(Path)} can pack it into a jar by itself.
 */
public final class StandInService implements HttpHandler {

    private final long readyAt;

    private StandInService(long readyAt) {
        this.readyAt = readyAt;
    }

    public static void main(String[] arguments) throws IOException {
        if (System.getProperty("standin.exit-code") != null) {
            System.out.println("stand-in failing on purpose");
            System.exit(Integer.getInteger("standin.exit-code"));
        }
        // printed before the server answers, so that a ready service has printed them
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            System.out.println("collector " + collector.getName());
        }
        long readyAt = System.nanoTime() + Long.getLong("standin.ready-after-ms", 0) * 1_000_000;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.getInteger("quarkus.http.port")), 0);
        server.createContext("/q/health/ready", new StandInService(readyAt));
        server.start();
        System.out.println("stand-in listening on " + server.getAddress());
        for (String key : new String[] {"kafka.bootstrap.servers", "quarkus.datasource.reactive.url", "quarkus.datasource.username"}) {
            System.out.println(key + "=" + System.getProperty(key));
        }
    }

    /** Writes an executable jar of this class to {@code jar}. */
    static void packInto(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StandInService.class.getName());
        String entry = StandInService.class.getName().replace('.', '/') + ".class";
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             InputStream in = StandInService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        int status = System.nanoTime() >= readyAt ? 200 : 503;
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
