package org.careloop.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code careloop demo}: a fresh embedded database with a generated sample practice, served. */
@Command(
    name = "demo",
    description =
        "Serves a generated sample practice on a fresh embedded database (simulated clock).")
final class DemoCommand implements Callable<Integer> {
  /** Riverside's patients with treatment plans, unless {@code --patients} says otherwise. */
  static final String PATIENTS = "600";

  @Option(
      names = "--dir",
      defaultValue = "careloop-demo",
      description = "folder for the demo database; emptied first")
  Path dir;

  @Option(
      names = "--db",
      description =
          "an empty PostgreSQL database (JDBC URL; CARELOOP_KEY set) instead of the embedded one")
  Optional<String> db = Optional.empty();

  @Option(
      names = "--patients",
      defaultValue = PATIENTS,
      description = "Riverside's patients with treatment plans")
  int patients;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--as-of", description = "the demo's today (ISO date); default today")
  Optional<LocalDate> asOf = Optional.empty();

  @Option(names = "--port", defaultValue = "8080")
  int port;

  @Option(names = "--no-serve", description = "load the demo database and exit")
  boolean noServe;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (db.isEmpty() && Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (var p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    Instant today =
        asOf.orElseGet(() -> LocalDate.now(ZoneOffset.UTC))
            .atTime(LocalTime.of(15, 0))
            .toInstant(ZoneOffset.UTC);
    var generator = new DemoGenerator(seed, patients, today);
    var history = generator.history();
    Instant start = history.isEmpty() ? today : history.get(0).at();
    var out = spec.commandLine().getOut();
    String url = db.orElseGet(() -> DatabaseSetup.h2Url(dir));
    String dbArg = db.map(u -> "'" + DatabaseSetup.redact(u) + "'").orElse(dir.toString());
    out.println(
        "careloop demo: generating "
            + patients
            + " patients in "
            + (db.isPresent() ? DatabaseSetup.redact(url) : dir.toAbsolutePath())
            + " (seed "
            + seed
            + ", today "
            + today
            + ")");
    out.flush();
    var careloop = Careloop.open(url, Optional.of("simulated"), Optional.of(start), 8);
    if (db.isPresent() && !careloop.read().plans().isEmpty()) {
      careloop.close();
      throw new IllegalArgumentException(
          "--db "
              + DatabaseSetup.redact(url)
              + " holds plans already; the demo needs an empty database");
    }
    // People first: the cases the history creates are owned as they arrive.
    DemoUsers.load(careloop);
    generator.load(careloop);
    var plans = careloop.read().plans();
    var open = careloop.read().tasks();
    var now = careloop.clock().instant();
    out.println(
        "loaded: "
            + plans.size()
            + " plans, "
            + open.size()
            + " open tasks ("
            + open.stream().filter(t -> t.respondBy().isBefore(now)).count()
            + " past their respond-by), "
            + careloop.read().outbox().size()
            + " outbox items, "
            + careloop.read().careGaps(today, careloop.protocols()::of, Optional.empty()).size()
            + " open care gaps");
    out.println(
        "look around:  ./careloop plans --db "
            + dbArg
            + "   (or tasks, outbox, report care-gaps, plan ID)");
    out.println(
        "move time:    ./careloop advance --db " + dbArg + " --to " + today.plusSeconds(7 * 86400));
    out.println(
        "workspace:    sign in at /login as cora (coordinator), nina (nurse), fran (front desk),"
            + " dr.martinez"
            + " (provider), max (manager) or ada (admin) of Riverside, or lena (coordinator) or"
            + " lou (manager) of Lakeside Dental; password "
            + DemoUsers.PASSWORD);
    out.flush();
    if (noServe) {
      careloop.close();
      return 0;
    }
    WebServer.run(careloop, port);
    return 0;
  }
}
