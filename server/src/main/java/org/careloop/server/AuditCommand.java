package org.careloop.server;

import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.careloop.adapters.csv.CsvExport;
import org.careloop.app.AuditTrail;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code careloop audit}: the audit trail, read and verified. */
final class AuditCommand {

  private AuditCommand() {}

  @Command(
      name = "audit",
      description =
          "Lists who viewed or changed patient data and settings, newest first, a page at a time;"
              + " 'audit verify' checks the chain.",
      subcommands = {Audit.Verify.class})
  static final class Audit extends ListingCommands.Listing {
    @Option(names = "--practice", description = "one practice's events (default: every practice)")
    Optional<String> practice;

    @Option(names = "--actor", description = "events of one person (a user name, cli:…)")
    Optional<String> person;

    @Option(names = "--patient", description = "events about one patient (a patient id)")
    Optional<String> patient;

    @Option(names = "--from", description = "from this date (YYYY-MM-DD), in the practice's zone")
    Optional<LocalDate> from;

    @Option(names = "--to", description = "to this date (YYYY-MM-DD), inclusive")
    Optional<LocalDate> to;

    @Option(names = "--page", defaultValue = "1")
    int page;

    @Option(names = "--limit", defaultValue = "50", description = "events per page")
    int limit;

    @Option(names = "--csv", description = "every matching event as CSV, not one page")
    boolean csv;

    @Override
    public Integer call() {
      if (limit < 1 || limit > 10_000)
        throw new IllegalArgumentException("--limit must be 1 to 10000, not " + limit);
      try (var c = dbm.open(2)) {
        var zone =
            practice
                .map(p -> c.practice(p).zone())
                .orElse(c.practice(Careloop.DEFAULT_PRACTICE).zone());
        var query = new AuditTrail.Query(practice, person, patient, from, to, zone);
        if (csv) {
          var out =
              new CsvExport(
                  out(),
                  "seq",
                  "at",
                  "practice",
                  "person",
                  "action",
                  "subject",
                  "patient",
                  "detail");
          long rows =
              c.auditLog()
                  .forEach(
                      query,
                      e ->
                          out.row(
                              e.seq(),
                              e.at().toString(),
                              e.practiceId().orElse(""),
                              e.actor(),
                              e.action(),
                              e.subject(),
                              e.patientId().orElse(""),
                              e.detail().orElse("")));
          out.flush();
          audited(c, "audit.export", rows + " event(s)");
          return 0;
        }
        var events = c.auditLog().page(query, page, limit);
        audited(
            c, "audit.view", "page " + events.page() + ", " + events.events().size() + " event(s)");
        print(
            events,
            () -> {
              for (var e : events.events())
                out()
                    .printf(
                        "%6d  %s  %-10s %-24s %-26s %s%s%n",
                        e.seq(),
                        e.at(),
                        e.practiceId().orElse("-"),
                        e.actor(),
                        e.action(),
                        e.subject(),
                        e.detail().map(d -> "  (" + d + ")").orElse(""));
              out()
                  .println(
                      events.total()
                          + " event(s); page "
                          + events.page()
                          + " of "
                          + events.pages());
            });
        return 0;
      }
    }

    @Command(
        name = "verify",
        description =
            "Checks the audit chain: every event follows the one before it, unchanged; names the"
                + " first broken link (exit 1).")
    static final class Verify implements Callable<Integer> {
      @CommandLine.Mixin CareloopCommand.DbMixin dbm;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        try (var c = dbm.open(2)) {
          var v = c.auditLog().verify();
          if (v.firstBroken().isPresent()) {
            spec.commandLine()
                .getErr()
                .println(
                    "careloop: audit chain broken after "
                        + (v.checked() - 1)
                        + " good event(s): "
                        + v.firstBroken().get());
            return 1;
          }
          spec.commandLine().getOut().println("audit chain intact: " + v.checked() + " event(s)");
          return 0;
        }
      }
    }
  }
}
