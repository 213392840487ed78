package org.careloop.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A PostgreSQL cluster of the test's own (Debian's pg_createcluster, trust authentication on
 * 127.0.0.1, a free port), so a test can restart a database server without touching the machine's
 * own. Dropped when closed. Needs root, as CI runs; fails, never skips, without it.
 */
final class PgCluster implements AutoCloseable {
  private final String version;
  private final String name;
  private final int port;

  private PgCluster(String version, String name, int port) {
    this.version = version;
    this.name = name;
    this.port = port;
  }

  static PgCluster create(String prefix) throws Exception {
    String version;
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      version =
          versions
              .map(p -> p.getFileName().toString())
              .max(java.util.Comparator.comparingInt(Integer::parseInt))
              .orElseThrow(
                  () -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql"));
    }
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String name = prefix + "_" + ProcessHandle.current().pid();
    var cluster = new PgCluster(version, name, port);
    try {
      // listen_addresses stays 'localhost': the loopback address only.
      SendOnceCrashTest.run(
          List.of(
              "pg_createcluster",
              version,
              name,
              "-p",
              String.valueOf(port),
              "--start",
              "--",
              "--auth-host=trust",
              "--auth-local=trust"));
      cluster.awaitReady();
      return cluster;
    } catch (Exception | AssertionError e) {
      new ProcessBuilder("pg_dropcluster", "--stop", version, name).start().waitFor();
      throw e;
    }
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  void awaitReady() throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      var p =
          new ProcessBuilder("pg_isready", "-h", "127.0.0.1", "-p", String.valueOf(port), "-q")
              .start();
      if (p.waitFor() == 0) return;
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("cluster " + name + " not ready in 30 s");
      Thread.sleep(100);
    }
  }

  /** Stops the server (fast shutdown: clients' connections are cut) and starts it again. */
  void restart() throws Exception {
    SendOnceCrashTest.run(List.of("pg_ctlcluster", version, name, "stop", "-m", "fast"));
    Thread.sleep(1000);
    SendOnceCrashTest.run(List.of("pg_ctlcluster", version, name, "start"));
    awaitReady();
  }

  @Override
  public void close() throws Exception {
    SendOnceCrashTest.run(List.of("pg_dropcluster", "--stop", version, name));
  }
}
