package org.careloop.server;

import static org.careloop.server.AdminCommands.E164;
import static org.careloop.server.AdminCommands.matching;
import static org.careloop.server.AdminCommands.optional;
import static org.careloop.server.AdminCommands.required;
import static org.careloop.server.AdminCommands.url;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.careloop.app.Practice;
import org.careloop.server.AdminCommands.ActorMixin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code careloop practice}: a practice's settings, its protocol choices and its holidays. */
final class PracticeCommands {

  private PracticeCommands() {}

  @Command(
      name = "practice",
      description = "Shows and changes the practice's settings.",
      subcommands = {Show.class, Set.class, Holiday.class, ProtocolChoice.class})
  static final class PracticeCmd implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  @Command(name = "show", description = "Shows the practice's settings.")
  static final class Show extends ListingCommands.Listing {
    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var s = c.administration().settings(Careloop.DEFAULT_PRACTICE);
        print(
            s,
            () -> {
              var p = s.practice();
              out().println("practice " + p.id() + ": " + p.name());
              out().println("  zone              " + p.zone());
              out().println("  phone             " + p.phone().orElse("-"));
              out().println("  booking url       " + p.bookingUrl().orElse("-"));
              out().println("  sms sender        " + p.smsSender().orElse("(the default)"));
              out().println("  email from        " + p.emailFrom().orElse("(the default)"));
              out()
                  .println(
                      "  caps              "
                          + s.capPerDay()
                          + " a day, "
                          + s.capPerWeek()
                          + " a week");
              out().println("  email open pixel  " + (p.emailOpenPixel() ? "on" : "off"));
              out().println("  slot search       " + p.slotSearch().orElse("-"));
              out()
                  .println(
                      "  appointment value "
                          + s.appointmentValueCents()
                              .map(v ->
                                  String.format(
                                      java.util.Locale.ROOT, "$%d.%02d", v / 100, v % 100))
                              .orElse("-"));
              out().println("  holidays          " + (s.holidays().isEmpty() ? "-" : s.holidays()));
              out()
                  .println(
                      "  care-gap report   every "
                          + s.careGapReportDay()
                              .getDisplayName(
                                  java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH));
              c.administration()
                  .practiceProtocols(p.id())
                  .forEach(
                      (event, protocol) -> out().println("  " + event + " starts " + protocol));
            });
        return 0;
      }
    }
  }

  @Command(
      name = "set",
      description = "Changes the practice's settings; options not given stay as they are.")
  static final class Set implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--name")
    Optional<String> name = Optional.empty();

    @Option(names = "--zone", description = "IANA time zone, e.g. America/Chicago")
    Optional<String> zone = Optional.empty();

    @Option(names = "--phone", description = "the number patients call (E.164), or none")
    Optional<String> phone = Optional.empty();

    @Option(names = "--booking-url", description = "where patients book online, or none")
    Optional<String> bookingUrl = Optional.empty();

    @Option(
        names = "--sms-sender",
        description = "Twilio Messaging Service SID (MG…) or sending number (E.164), or none")
    Optional<String> smsSender = Optional.empty();

    @Option(
        names = "--email-from",
        description = "the From address of the practice's emails, or none")
    Optional<String> emailFrom = Optional.empty();

    @Option(names = "--cap-per-day", description = "automated messages per patient per day")
    Optional<Integer> capPerDay = Optional.empty();

    @Option(names = "--cap-per-week", description = "automated messages per patient per 7 days")
    Optional<Integer> capPerWeek = Optional.empty();

    @Option(names = "--email-open-pixel", description = "on or off: track email opens by pixel")
    Optional<String> openPixel = Optional.empty();

    @Option(
        names = "--care-gap-report-day",
        description = "the day careloop makes the weekly care-gap report, e.g. monday")
    Optional<String> reportDay = Optional.empty();

    @Option(
        names = "--slot-search",
        description = "FHIR Slot search URL whose free slots BOOK replies offer, or none")
    Optional<String> slotSearch = Optional.empty();

    @Option(
        names = "--appointment-value",
        description =
            "what a kept appointment is worth, in dollars (e.g. 180 or 180.50), or none: the"
                + " dashboard's revenue figures count a recovered visit at it")
    Optional<String> appointmentValue = Optional.empty();

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var admin = c.administration();
        var s = admin.settings(Careloop.DEFAULT_PRACTICE);
        var p = s.practice();
        var changed =
            new org.careloop.app.PracticeSettings(
                new Practice(
                    p.id(),
                    name.map(n -> required("--name", n)).orElse(p.name()),
                    zone.map(AdminCommands::zone).orElse(p.zone()),
                    phone
                        .map(v ->
                            optional(
                                v,
                                x ->
                                    matching(
                                        "--phone",
                                        x,
                                        E164,
                                        "an E.164 number such as +16175550100")))
                        .orElse(p.phone()),
                    bookingUrl
                        .map(v -> optional(v, x -> url("--booking-url", x)))
                        .orElse(p.bookingUrl()),
                    smsSender.map(v -> optional(v, AdminCommands::smsSender)).orElse(p.smsSender()),
                    emailFrom.map(v -> optional(v, AdminCommands::email)).orElse(p.emailFrom()),
                    openPixel.map(AdminCommands::onOff).orElse(p.emailOpenPixel()),
                    slotSearch
                        .map(v -> optional(v, AdminCommands::slotSearch))
                        .orElse(p.slotSearch())),
                capPerDay.orElse(s.capPerDay()),
                capPerWeek.orElse(s.capPerWeek()),
                s.holidays(),
                reportDay.map(AdminCommands::dayOfWeek).orElse(s.careGapReportDay()),
                appointmentValue.map(PracticeCommands::cents).orElse(s.appointmentValueCents()));
        var fields = admin.update(actor.actor(), changed, c.clock().instant());
        spec.commandLine()
            .getOut()
            .println(
                fields.isEmpty() ? "nothing changed" : "changed: " + String.join(", ", fields));
        return 0;
      }
    }
  }

  @Command(
      name = "protocol",
      description =
          "Chooses which protocol an event starts at the practice, e.g. csv-row-imported"
              + " weekly-recall.")
  static final class ProtocolChoice implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EVENT")
    String event;

    @Parameters(index = "1", paramLabel = "PROTOCOL")
    String protocol;

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        c.administration()
            .choosePracticeProtocol(
                actor.actor(),
                Careloop.DEFAULT_PRACTICE,
                event,
                c.engine().protocols(),
                protocol,
                c.clock().instant());
        spec.commandLine().getOut().println(event + " now starts " + protocol);
        return 0;
      }
    }
  }

  @Command(
      name = "holiday",
      description = "Adds or removes practice holidays: no automated message goes out on one.")
  static final class Holiday implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "add|remove")
    String verb;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "DATE",
        description = "e.g. 2026-12-25")
    List<String> dates;

    @Override
    public Integer call() {
      if (!verb.equals("add") && !verb.equals("remove"))
        throw new IllegalArgumentException("holiday takes add or remove, not '" + verb + "'");
      var days = new ArrayList<LocalDate>();
      for (String d : dates) {
        try {
          days.add(LocalDate.parse(d));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("'" + d + "' is not a date such as 2026-12-25");
        }
      }
      try (var c = dbm.open(2)) {
        int n =
            c.administration()
                .holidays(
                    actor.actor(),
                    Careloop.DEFAULT_PRACTICE,
                    days,
                    verb.equals("add"),
                    c.clock().instant());
        spec.commandLine()
            .getOut()
            .println((verb.equals("add") ? "added " : "removed ") + n + " holiday(s)");
        return 0;
      }
    }
  }

  /** A dollar amount as cents ({@code none}: unset); a clear error names the option otherwise. */
  static Optional<Long> cents(String dollars) {
    if (dollars.equals("none")) return Optional.empty();
    try {
      var amount = new java.math.BigDecimal(dollars.trim().replaceFirst("^\\$", ""));
      if (amount.signum() < 0 || amount.scale() > 2 || amount.compareTo(MAX_DOLLARS) > 0)
        throw new NumberFormatException();
      return Optional.of(amount.movePointRight(2).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "--appointment-value '"
              + dollars
              + "' is not an amount in dollars such as 180 or 180.50 (or none)");
    }
  }

  private static final java.math.BigDecimal MAX_DOLLARS = new java.math.BigDecimal("1000000");
}
