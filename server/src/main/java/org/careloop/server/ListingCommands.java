package org.careloop.server;

import static org.careloop.server.CareloopCommand.JSON;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.careloop.server.CareloopCommand.DbMixin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that list what careloop holds: plans, one plan's timeline, the outbox, the sandbox's
 * messages and the coordinator tasks. Each look at patient data is audited.
 */
final class ListingCommands {

  private ListingCommands() {}

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
                        m.status().name().toLowerCase(Locale.ROOT),
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
}
