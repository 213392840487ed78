package org.careloop.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A real FHIR R4 server for the EHR tests: HAPI FHIR's JPA server from the {@code fhir-test-server}
 * module, started once per test JVM as a process of its own on a loopback port (it needs Spring 6,
 * careloop Spring 7), stopped when the JVM ends. Missing its build is a failure, never a skip.
 */
final class FhirTestServerProcess {
  private static final Path MODULE = Path.of("..", "fhir-test-server", "target");
  private static final Pattern READY =
      Pattern.compile("FHIR server at (http://127\\.0\\.0\\.1:\\d+/fhir)");
  private static String base = "";

  private FhirTestServerProcess() {}

  /** The server's FHIR base URL, starting it the first time. */
  static synchronized String base() throws IOException, InterruptedException {
    if (!base.isEmpty()) return base;
    var classpath = MODULE.resolve("classpath.txt");
    if (!Files.exists(classpath) || !Files.isDirectory(MODULE.resolve("classes")))
      throw new IllegalStateException(
          "the FHIR test server is not built: run ./mvnw -pl fhir-test-server package (the full"
              + " build does it before the server module)");
    var log = Files.createTempFile("fhir-test-server", ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(
        List.of(
            "-Xmx768m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            MODULE.resolve("classes")
                + java.io.File.pathSeparator
                + Files.readString(classpath).trim(),
            "org.careloop.fhirtest.FhirTestServer"));
    var process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive())
        throw new IllegalStateException("the FHIR test server ended: " + Files.readString(log));
      var m = READY.matcher(Files.readString(log));
      if (m.find()) {
        base = m.group(1);
        return base;
      }
      Thread.sleep(250);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the FHIR test server did not start in 4 minutes: " + log);
  }
}
