package org.careloop.server;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.careloop.app.InputRejected;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
      ImportCommand.Import.class,
      CareloopCommand.Advance.class,
      ListingCommands.Plans.class,
      ListingCommands.PlanCmd.class,
      ListingCommands.Outbox.class,
      ListingCommands.Sandbox.class,
      ListingCommands.Tasks.class,
      ReportCommand.Report.class,
      PracticeCommands.PracticeCmd.class,
      PatientCommands.Consent.class,
      PatientCommands.Resume.class,
      AuditCommand.Audit.class,
      KeyCommands.class,
      UserCommands.UserCmd.class,
      ProtocolCommands.class,
      EhrCommands.EhrCmd.class
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
    DatabaseSetup.loopbackOnly();
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
      // An EHR that cannot be reached: what was asked and what came back, the cause's kind.
      if (e instanceof org.careloop.app.intake.EhrClient.Unreachable) {
        err.println("careloop: " + e.getMessage());
        return 1;
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
      return Careloop.open(DatabaseSetup.resolveUrl(db), clock, start, pool);
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
}
