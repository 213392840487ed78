package org.careloop.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.careloop.adapters.csv.CsvExport;
import org.careloop.adapters.csv.SyntheaExportReader;
import org.careloop.adapters.jdbc.EmbeddedFiles;
import org.careloop.app.ImportBatch;
import org.careloop.app.Importer;
import org.careloop.app.InputRejected;
import org.careloop.app.Utf8Text;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The {@code careloop} command. Exit codes: 0 ok, 2 bad input or usage, 1 anything else. */
@Command(
    name = "careloop",
    mixinStandardHelpOptions = true,
    version = "careloop 0.1.0",
    description = "Makes sure treatment plans actually happen.",
    subcommands = {
      CareloopCommand.Serve.class,
      DemoCommand.class,
      CareloopCommand.Import.class,
      CareloopCommand.Advance.class,
      CareloopCommand.Plans.class,
      CareloopCommand.PlanCmd.class,
      CareloopCommand.Outbox.class,
      CareloopCommand.Sandbox.class,
      CareloopCommand.Tasks.class,
      CareloopCommand.Report.class,
      AdminCommands.PracticeCmd.class,
      AdminCommands.Consent.class,
      AdminCommands.Resume.class,
      AdminCommands.Audit.class,
      KeyCommands.class,
      AdminCommands.UserCmd.class,
      ProtocolCommands.class
    })
public final class CareloopCommand implements Runnable {
  static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    EmbeddedFiles.loopbackOnly();
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests and main). */
  public static int execute(String... args) {
    var cli = new CommandLine(new CareloopCommand());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      var err = cmd.getErr();
      if (e instanceof InputRejected || e instanceof IllegalArgumentException) {
        err.println("careloop: " + e.getMessage());
        return 2;
      }
      if (e instanceof IllegalStateException) {
        err.println("careloop: " + e.getMessage());
        return 2;
      }
      err.println("careloop: failed: " + e);
      return 1;
    });
    return cli.execute(args);
  }

  /** Options every command that opens a database takes. */
  static final class DbMixin {
    @Option(
        names = "--db",
        description =
            "the database: a JDBC URL, or a folder for the embedded H2 database (default: $CARELOOP_DB_URL, else ./careloop-data)")
    Optional<String> db = Optional.empty();

    @Option(names = "--clock", description = "clock of a NEW database: real (default) or simulated")
    Optional<String> clock = Optional.empty();

    @Option(
        names = "--start",
        description = "start of a new simulated clock (ISO-8601 instant; default now)")
    Optional<Instant> start = Optional.empty();

    Careloop open(int pool) {
      return Careloop.open(Careloop.resolveUrl(db), clock, start, pool);
    }
  }

  @Command(name = "serve", description = "Runs the engine and its HTTP API.")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Mixin DbMixin dbm;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (0: any free port)")
    int port;

    @Override
    public Integer call() throws InterruptedException {
      var careloop = dbm.open(8);
      WebServer.run(careloop, port);
      return 0;
    }
  }

  @Command(
      name = "import",
      description = "Imports plans from FHIR R4 JSON or the weekly CSV export.",
      subcommands = {Import.Fhir.class, Import.Csv.class})
  static final class Import implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "say what to import: fhir PATH or csv PATH");
    }

    /** Files under PATH with the extension, sorted; PATH itself when it is a file. */
    static List<Path> files(Path path, String ext) {
      if (!Files.exists(path)) throw new InputRejected(path.toString(), "no such file or folder");
      if (Files.isRegularFile(path)) return List.of(path);
      try (Stream<Path> s = Files.walk(path)) {
        return s.filter(Files::isRegularFile)
            .filter(p -> p.getFileName().toString().toLowerCase().endsWith(ext))
            .sorted()
            .toList();
      } catch (IOException e) {
        throw new InputRejected(path.toString(), "cannot read: " + e.getMessage(), e);
      }
    }

    static String text(Path p) {
      try {
        return Utf8Text.decode(Files.readAllBytes(p), p.toString());
      } catch (IOException e) {
        throw new InputRejected(p.toString(), "cannot read: " + e.getMessage(), e);
      }
    }

    /** Whether this process talks to a terminal (Console.isTerminal from JDK 22 on). */
    static boolean onTerminal() {
      var console = System.console();
      if (console == null) return false;
      try {
        return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
      } catch (ReflectiveOperationException e) {
        return true; // JDK 21: a console exists only for a terminal
      }
    }

    /** Reads every file first, so one bad file stops the import before anything is stored. */
    static int importAll(Careloop c, List<ImportBatch> batches, PrintWriter out) {
      // A person at a terminal sees a long import move; a script's output stays the summary.
      Importer.Progress progress =
          onTerminal()
              ? (what, done, total) ->
                  System.err.println("careloop: " + done + " of " + total + " " + what + "…")
              : Importer.Progress.NONE;
      for (var b : batches) {
        var result = c.importBatch(b, progress);
        out.println(result.summary());
        for (var note : result.notes()) out.println("  note: " + note);
      }
      return 0;
    }

    @Command(
        name = "fhir",
        description =
            "Imports a FHIR R4 JSON file (Bundle or single resource) or every .json under a folder.")
    static final class Fhir implements Callable<Integer> {
      @CommandLine.Mixin DbMixin dbm;

      @Parameters(paramLabel = "PATH")
      Path path;

      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        try (var c = dbm.open(2)) {
          var reader = c.fhirReader();
          var batches = new ArrayList<ImportBatch>();
          for (var f : files(path, ".json")) batches.add(reader.read(text(f), f.toString()));
          return importAll(c, batches, spec.commandLine().getOut());
        }
      }
    }

    @Command(
        name = "csv",
        description =
            "Imports the weekly follow-up CSV export (a file, or every .csv under a folder).")
    static final class Csv implements Callable<Integer> {
      @CommandLine.Mixin DbMixin dbm;

      @Parameters(paramLabel = "PATH")
      Path path;

      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        try (var c = dbm.open(2)) {
          var reader = c.csvReader();
          var batches = new ArrayList<ImportBatch>();
          var texts = new java.util.LinkedHashMap<Path, String>();
          for (var f : files(path, ".csv")) texts.put(f, text(f));
          // Folders whose careplans.csv is a Synthea export: their other files are not read.
          var syntheaFolders = new java.util.HashSet<Path>();
          texts.forEach((f, text) -> {
            if (f.getFileName().toString().equals("careplans.csv")
                && SyntheaExportReader.isCarePlans(text))
              syntheaFolders.add(f.toAbsolutePath().getParent());
          });
          for (var entry : texts.entrySet()) {
            var f = entry.getKey();
            String text = entry.getValue();
            if (SyntheaExportReader.isCarePlans(text)) {
              // A Synthea CSV export: careplans.csv joined to the patients.csv beside it.
              var patients = f.resolveSibling("patients.csv");
              if (!Files.isRegularFile(patients)) {
                throw new InputRejected(
                    f.toString(), "is a Synthea careplans.csv; its patients.csv must be beside it");
              }
              String patientsText =
                  texts.containsKey(patients) ? texts.get(patients) : text(patients);
              batches.add(
                  c.syntheaReader().read(text, f.toString(), patientsText, patients.toString()));
            } else if (syntheaFolders.contains(f.toAbsolutePath().getParent())) {
              spec.commandLine()
                  .getOut()
                  .println(
                      f
                          + ": part of a Synthea export; only careplans.csv and patients.csv are read");
            } else {
              batches.add(reader.read(text, f.toString(), c.clock().instant()));
            }
          }
          return importAll(c, batches, spec.commandLine().getOut());
        }
      }
    }
  }

  @Command(
      name = "advance",
      description = "Runs every wake-up due up to an instant on a simulated clock.")
  static final class Advance implements Callable<Integer> {
    @CommandLine.Mixin DbMixin dbm;

    @Option(
        names = "--to",
        required = true,
        description = "ISO-8601 instant, e.g. 2026-03-01T12:00:00Z")
    String to;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Instant target;
      try {
        target = Instant.parse(to);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--to '" + to + "' is not an ISO-8601 instant such as 2026-03-01T12:00:00Z");
      }
      try (var c = dbm.open(2)) {
        var counts = c.advance(target);
        spec.commandLine()
            .getOut()
            .println(
                "clock at "
                    + target
                    + ": "
                    + counts.wakeups()
                    + " wake-up(s) fired, "
                    + counts.dispatched()
                    + " outbox item(s) dispatched");
        return 0;
      }
    }
  }

  /** Prints as JSON or as text. */
  abstract static class Listing implements Callable<Integer> {
    @CommandLine.Mixin DbMixin dbm;
    @CommandLine.Mixin AdminCommands.ActorMixin actor;

    /** Records that a person looked at patient data. */
    void audited(Careloop c, String action, String subject) {
      c.administration()
          .audit(actor.actor(), Optional.empty(), action, subject, c.clock().instant());
    }

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    void print(Object value, Runnable text) {
      if (json) out().println(JSON.writeValueAsString(value));
      else text.run();
      out().flush();
    }
  }

  @Command(name = "plans", description = "Lists plans.")
  static final class Plans extends Listing {
    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var plans = c.read().plans();
        audited(c, "plans.view", plans.size() + " plan(s)");
        print(
            plans,
            () -> {
              out()
                  .printf(
                      "%-20s %-24s %-9s %-28s %-12s %s%n",
                      "PLAN", "PATIENT", "STATUS", "NEXT STEP", "DUE", "NEXT WAKE-UP");
              for (var p : plans) {
                out()
                    .printf(
                        "%-20s %-24s %-9s %-28s %-12s %s%n",
                        p.id(),
                        p.patient(),
                        p.status(),
                        p.nextStep(),
                        p.nextDue().map(d -> d.toString().substring(0, 10)).orElse("-"),
                        p.nextWakeupAt().map(Instant::toString).orElse("-"));
              }
              out().println(plans.size() + " plan(s)");
            });
        return 0;
      }
    }
  }

  @Command(
      name = "plan",
      description = "Shows one plan: milestones and the timeline of events, decisions and effects.")
  static final class PlanCmd extends Listing {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var view =
            c.read().plan(id).orElseThrow(() -> new IllegalArgumentException("no plan " + id));
        audited(c, "plan.view", "plan " + id);
        print(
            view,
            () -> {
              var p = view.plan();
              out()
                  .println(
                      "plan "
                          + p.id()
                          + " · "
                          + p.patient()
                          + " · "
                          + p.status()
                          + " · "
                          + p.protocol()
                          + " · source "
                          + p.sourceKey());
              out().println("milestones:");
              for (var m : view.state().milestones()) {
                out()
                    .printf(
                        "  %-14s %-22s %-10s due %s  %s%n",
                        m.key(),
                        m.kind().patientWords(),
                        m.status().name().toLowerCase(),
                        m.dueAt().toString().substring(0, 10),
                        m.description());
              }
              out().println("timeline:");
              for (var t : view.timeline())
                out().printf("  %s  %-8s %s%n", t.at(), t.kind(), t.text());
            });
        return 0;
      }
    }
  }

  @Command(
      name = "outbox",
      description = "Lists the outbox: messages and EHR write-backs, with delivery status.")
  static final class Outbox extends Listing {
    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var rows = c.read().outbox();
        print(
            rows,
            () -> {
              for (var r : rows) {
                out()
                    .printf(
                        "%-6d %-8s %-9s %-6s %-20s %s%s%n",
                        r.id(),
                        r.status(),
                        r.kind(),
                        r.channel(),
                        r.createdAt(),
                        r.key(),
                        r.lastError().map(e -> "  (" + e + ")").orElse(""));
              }
              out().println(rows.size() + " item(s)");
            });
        return 0;
      }
    }
  }

  @Command(
      name = "sandbox",
      description = "Shows messages delivered to the sandbox channel: what would have been sent.")
  static final class Sandbox extends Listing {
    @Option(names = "--limit", defaultValue = "50", description = "newest N messages")
    int limit;

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var rows = c.read().sandbox(limit);
        audited(c, "sandbox.view", rows.size() + " message(s)");
        print(
            rows,
            () -> {
              for (var m : rows) {
                out()
                    .printf(
                        "%s  %-9s to %s%s%n    %s%n",
                        m.deliveredAt(),
                        m.channel(),
                        m.recipient(),
                        m.subject().map(s -> "  \"" + s + "\"").orElse(""),
                        m.body().replace("\n", "\n    "));
              }
              out().println(rows.size() + " message(s)");
            });
        return 0;
      }
    }
  }

  @Command(
      name = "tasks",
      description = "Lists open tasks, ranked by priority then respond-by time.")
  static final class Tasks extends Listing {
    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var rows = c.read().tasks();
        audited(c, "tasks.view", rows.size() + " task(s)");
        print(
            rows,
            () -> {
              for (var t : rows) {
                out()
                    .printf(
                        "%-5d %-7s %-18s %-11s %-22s respond by %s  %s%s%n",
                        t.id(),
                        t.priority(),
                        t.lane(),
                        t.owner().orElse("-"),
                        t.patient(),
                        t.respondBy(),
                        t.title(),
                        t.escalatedTo().map(e -> "  [escalated to " + e + "]").orElse(""));
              }
              out().println(rows.size() + " open task(s)");
            });
        return 0;
      }
    }
  }

  @Command(
      name = "report",
      description = "Reports.",
      subcommands = {Report.CareGaps.class, Report.Programs.class})
  static final class Report implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "say which report: care-gaps or programs");
    }

    @Command(
        name = "programs",
        description =
            "Per protocol: plans, first message within 2 h of the start, booked within 7 days,"
                + " steps done within 30 days of their due date.")
    static final class Programs extends Listing {
      @Override
      public Integer call() {
        try (var c = dbm.open(2)) {
          var rows = c.read().programs(c.clock().instant());
          print(
              rows,
              () -> {
                out()
                    .printf(
                        "%-30s %6s %18s %16s %22s%n",
                        "protocol",
                        "plans",
                        "1st msg within 2h",
                        "booked within 7d",
                        "done within 30d of due");
                for (var r : rows)
                  out()
                      .printf(
                          "%-30s %6d %18s %16s %22s%n",
                          r.protocol(),
                          r.plans(),
                          share(r.firstMessageWithin2h(), r.messaged()),
                          share(r.bookedWithin7d(), r.plans()),
                          share(r.doneWithin30dOfDue(), r.dueSince30d()));
              });
          return 0;
        }
      }

      static String share(int n, int of) {
        return of == 0 ? "-" : n + "/" + of + " (" + Math.round(100.0 * n / of) + "%)";
      }
    }

    @Command(
        name = "care-gaps",
        description =
            "Open care gaps by tier (1: 1–7 days, 2: 8–14, 3: 15–30, 4: 31+ — the weekly report).")
    static final class CareGaps implements Callable<Integer> {
      @CommandLine.Mixin DbMixin dbm;
      @CommandLine.Mixin AdminCommands.ActorMixin actor;

      @Option(names = "--format", defaultValue = "csv", description = "csv or json")
      String format;

      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() throws IOException {
        if (!format.equals("csv") && !format.equals("json"))
          throw new IllegalArgumentException("--format must be csv or json, not " + format);
        try (var c = dbm.open(2)) {
          var gaps = c.read().careGaps(c.clock().instant(), c.gapTiers(), Optional.empty());
          c.administration()
              .audit(
                  actor.actor(),
                  Optional.empty(),
                  "care-gaps.report",
                  gaps.size() + " gap(s), " + format,
                  c.clock().instant());
          var out = spec.commandLine().getOut();
          if (format.equals("json")) {
            out.println(JSON.writeValueAsString(gaps));
          } else {
            var csv =
                new CsvExport(
                    out,
                    "tier",
                    "days_overdue",
                    "plan_id",
                    "patient",
                    "provider",
                    "step",
                    "description",
                    "due_date");
            for (var g : gaps)
              csv.row(
                  g.tier(),
                  g.daysOverdue(),
                  g.planId(),
                  g.patient(),
                  g.provider(),
                  g.step(),
                  g.description(),
                  g.dueAt().toString().substring(0, 10));
            csv.flush();
          }
          out.flush();
          return 0;
        }
      }
    }
  }
}
