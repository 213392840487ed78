package org.careloop.server;

import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.careloop.adapters.csv.CsvExport;
import org.careloop.adapters.jdbc.Administration;
import org.careloop.adapters.jdbc.AuditLog;
import org.careloop.adapters.mail.EmailAddresses;
import org.careloop.app.Practice;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Settings a practice administrator makes from the command line, and the coordinator actions that
 * have no screen yet. Each change is audited with who made it ({@code --by}).
 */
final class AdminCommands {
  private AdminCommands() {}

  /** Who is acting: recorded on every audit event. */
  static final class ActorMixin {
    @Option(
        names = "--by",
        description = "who is acting, for the audit trail (default: cli:<your user name>)")
    Optional<String> by = Optional.empty();

    String actor() {
      return by.filter(b -> !b.isBlank()).orElse("cli:" + System.getProperty("user.name"));
    }
  }

  private static final Pattern MESSAGING_SERVICE = Pattern.compile("MG[0-9a-fA-F]{32}");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

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
  static final class Show extends CareloopCommand.Listing {
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
              out().println("  holidays          " + (s.holidays().isEmpty() ? "-" : s.holidays()));
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
        names = "--slot-search",
        description = "FHIR Slot search URL whose free slots BOOK replies offer, or none")
    Optional<String> slotSearch = Optional.empty();

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var admin = c.administration();
        var s = admin.settings(Careloop.DEFAULT_PRACTICE);
        var p = s.practice();
        var changed =
            new Administration.Settings(
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
                s.holidays());
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

  @Command(
      name = "consent",
      description =
          "Records or withdraws a patient's consent to marketing messages (financing offers).")
  static final class Consent implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
        paramLabel = "PATIENT",
        description = "careloop's patient id or the EHR's key (e.g. MRN1001)")
    String patient;

    @Option(names = "--marketing", required = true, description = "yes or no")
    String marketing;

    @Option(
        names = "--practice",
        defaultValue = Careloop.DEFAULT_PRACTICE,
        description = "the patient's practice (default: ${DEFAULT-VALUE})")
    String practice;

    @Override
    public Integer call() {
      boolean consent =
          switch (marketing) {
            case "yes" -> true;
            case "no" -> false;
            default ->
                throw new IllegalArgumentException(
                    "--marketing takes yes or no, not '" + marketing + "'");
          };
      try (var c = dbm.open(2)) {
        String id =
            c.administration()
                .marketingConsent(actor.actor(), practice, patient, consent, c.clock().instant());
        spec.commandLine()
            .getOut()
            .println(
                "patient " + id + ": marketing consent " + (consent ? "recorded" : "withdrawn"));
        return 0;
      }
    }
  }

  @Command(
      name = "resume",
      description =
          "Lets a paused plan's automated messages go on (after a patient's free-text reply is handled).")
  static final class Resume implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PLAN")
    String plan;

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        c.resume(plan, actor.actor());
        spec.commandLine().getOut().println("plan " + plan + ": automated messages resumed");
        return 0;
      }
    }
  }

  @Command(
      name = "user",
      description =
          "Adds a person who signs in to the workspace, or changes their name, role or password.")
  static final class UserCmd implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "add|out|back")
    String verb;

    @Parameters(index = "1", paramLabel = "USERNAME")
    String username;

    @Option(
        names = "--role",
        description = "coordinator, front-desk, nurse, provider, manager or admin")
    String role = "";

    @Option(names = "--name", description = "the name people see")
    String name = "";

    @Option(names = "--practice", defaultValue = Careloop.DEFAULT_PRACTICE)
    String practice;

    @Option(names = "--password-stdin", description = "read the password from standard input")
    boolean passwordStdin;

    @Option(
        names = "--password",
        description = "the password (prefer --password-stdin: a command line is visible to others)")
    Optional<String> password = Optional.empty();

    @Override
    public Integer call() throws java.io.IOException {
      if (verb.equals("out") || verb.equals("back")) {
        try (var c = dbm.open(2)) {
          if (!c.workspace().setOut(username, verb.equals("out")))
            throw new IllegalArgumentException("no user " + username);
          c.administration()
              .audit(
                  actor.actor(),
                  Optional.empty(),
                  "user." + verb,
                  "user " + username,
                  c.clock().instant());
          spec.commandLine()
              .getOut()
              .println(
                  username
                      + (verb.equals("out") ? " is out: cases go to their backups" : " is back"));
          return 0;
        }
      }
      if (!verb.equals("add"))
        throw new IllegalArgumentException("user takes add, out or back, not '" + verb + "'");
      String secret =
          passwordStdin
              ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                  .strip()
              : password.orElseThrow(
                  () -> new IllegalArgumentException("give --password-stdin or --password"));
      if (role.isBlank() || name.isBlank())
        throw new IllegalArgumentException("user add needs --role and --name");
      try (var c = dbm.open(2)) {
        c.saveUser(practice, username, name, role, secret);
        c.administration()
            .audit(
                actor.actor(),
                Optional.of(practice),
                "user.save",
                "user " + username,
                c.clock().instant());
        spec.commandLine()
            .getOut()
            .println("user " + username + " (" + role + ") saved in practice " + practice);
        return 0;
      }
    }
  }

  @Command(
      name = "audit",
      description =
          "Lists who viewed or changed patient data and settings, newest first, a page at a time;"
              + " 'audit verify' checks the chain.",
      subcommands = {Audit.Verify.class})
  static final class Audit extends CareloopCommand.Listing {
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
        var query = new AuditLog.Query(practice, person, patient, from, to, zone);
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

  private static String required(String option, String value) {
    if (value.isBlank()) throw new IllegalArgumentException(option + " must not be empty");
    return value.trim();
  }

  private static Optional<String> optional(
      String value, java.util.function.UnaryOperator<String> check) {
    return value.equals("none") ? Optional.empty() : Optional.of(check.apply(value.trim()));
  }

  private static String matching(String option, String value, Pattern p, String what) {
    if (!p.matcher(value).matches())
      throw new IllegalArgumentException(option + " '" + value + "' is not " + what);
    return value;
  }

  private static ZoneId zone(String value) {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--zone '" + value + "' is not a time zone such as America/Chicago");
    }
  }

  private static String url(String option, String value) {
    try {
      var uri = URI.create(value);
      if ((uri.getScheme() != null
              && (uri.getScheme().equals("https") || uri.getScheme().equals("http")))
          && uri.getHost() != null) return value;
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " '" + value + "' is not an http(s) URL");
  }

  private static String slotSearch(String value) {
    url("--slot-search", value);
    if (!URI.create(value).getPath().endsWith("/Slot"))
      throw new IllegalArgumentException(
          "--slot-search '"
              + value
              + "' is not a FHIR Slot search such as https://ehr.example/fhir/Slot?schedule=Schedule/12");
    return value;
  }

  private static String smsSender(String value) {
    if (MESSAGING_SERVICE.matcher(value).matches() || E164.matcher(value).matches()) return value;
    throw new IllegalArgumentException(
        "--sms-sender '"
            + value
            + "' is neither a Messaging Service SID (MG + 32 hex digits) nor an E.164 number");
  }

  private static String email(String value) {
    if (EmailAddresses.valid(value)) return value;
    throw new IllegalArgumentException("--email-from '" + value + "' is not an email address");
  }

  private static boolean onOff(String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default ->
          throw new IllegalArgumentException(
              "--email-open-pixel takes on or off, not '" + value + "'");
    };
  }
}
