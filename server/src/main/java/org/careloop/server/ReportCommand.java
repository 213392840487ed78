package org.careloop.server;

import static org.careloop.server.CareloopCommand.JSON;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.careloop.adapters.csv.CareGapCsv;
import org.careloop.server.CareloopCommand.DbMixin;
import org.careloop.server.ListingCommands.Listing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code careloop report}: what follow-up achieves, by program, and the care gaps. */
final class ReportCommand {

  private ReportCommand() {}

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
          var gaps = c.read().careGaps(c.clock().instant(), c.protocols()::of, Optional.empty());
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
            CareGapCsv.write(out, gaps);
          }
          out.flush();
          return 0;
        }
      }
    }
  }
}
