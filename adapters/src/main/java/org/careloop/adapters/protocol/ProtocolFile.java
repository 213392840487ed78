package org.careloop.adapters.protocol;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.careloop.core.AllowedHours;
import org.careloop.core.Protocol;
import org.careloop.core.SendWindow;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A protocol written as YAML: read, checked and turned into a {@link Protocol}. Every problem names
 * the file and line: an unknown field or event, a touch without a template, a send window that
 * reaches into the night, a missing cap, a touch that can never fire, a repeat without an end.
 */
public final class ProtocolFile {

  /** One problem, where it is. */
  public record Problem(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }

  /**
   * What reading a file gave.
   *
   * @param source the file's text, stored with the version so a running plan keeps its protocol
   */
  public record Result(
      String file, String source, Optional<Protocol> protocol, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty() && protocol.isPresent();
    }
  }

  /** The events a protocol can be started by. */
  public static final Set<String> EVENTS =
      Set.of(
          "care-plan-created",
          "order-created",
          "referral-created",
          "encounter-finished",
          "appointment-no-show",
          "discharge",
          "treatment-plan-presented",
          "csv-row-imported");

  /** Automated messages never go out outside these hours, whatever a file says. */
  static final LocalTime DAY_START = LocalTime.of(8, 0), DAY_END = LocalTime.of(21, 0);

  /** The most times a repeat until the step's due date is expanded. */
  static final int MAX_REPEATS = 52;

  private ProtocolFile() {}

  /** Reads and checks one protocol file. */
  public static Result read(String file, String text) {
    var problems = new ArrayList<Problem>();
    var composed = YamlReader.compose(file, text, problems);
    if (!problems.isEmpty()) return new Result(file, text, Optional.empty(), problems);
    Node root = composed.orElse(null);
    if (!(root instanceof MappingNode)) {
      problems.add(new Problem(file, 1, "a protocol file is a mapping (protocol:, version:, …)"));
      return new Result(file, text, Optional.empty(), problems);
    }
    var reader = new Reader(file, problems);
    var protocol = reader.protocol(reader.map(root, "the protocol", TOP));
    return new Result(
        file, text, problems.isEmpty() ? protocol : Optional.empty(), List.copyOf(problems));
  }

  private static final List<String> TOP =
      List.of(
          "protocol",
          "version",
          "title",
          "triggers",
          "allowed-hours",
          "send-window",
          "touch-cap",
          "positive-reply-pause",
          "steps",
          "between-steps",
          "missed-appointment",
          "outcome-check",
          "care-gap-tiers",
          "intake",
          "expire-after",
          "on-positive-reply",
          "enrol-when",
          "touches-count-from",
          "cycle-cap",
          "after-acceptance");

  /** Reads a protocol's own parts: its identity, timing, sending rules and care-gap tiers. */
  static final class Reader extends StepRulesReader {
    Reader(String file, List<Problem> problems) {
      super(file, problems);
    }

    Optional<Protocol> protocol(Obj top) {
      var id =
          required(
              top,
              "protocol",
              "an id such as treatment-plan-follow-up",
              t -> {
                if (!t.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException(t);
                return t;
              });
      var version = required(top, "version", "a whole number from 1", YamlReader::atLeastOne);
      var triggers = new ArrayList<String>();
      for (var trigger : list(top, "triggers")) {
        String event = trigger instanceof ScalarNode s ? s.getValue() : "";
        if (!EVENTS.contains(event))
          problem(
              trigger,
              "unknown event '" + event + "' in triggers (known: " + new TreeSet<>(EVENTS) + ")");
        else triggers.add(event);
      }
      var intake = intake(top);
      var expire = value(top, "expire-after", A_DURATION, YamlReader::duration);
      var onPositive =
          top.get("on-positive-reply")
              .map(n -> map(n, "on-positive-reply", List.of("task")))
              .flatMap(o -> o.get("task").map(n -> task(n, "on-positive-reply")));
      var enrolWhen = top.get("enrol-when").map(n -> condition(n, "enrol-when"));
      var countFrom =
          value(
                  top,
                  "touches-count-from",
                  "last-progress or first-message",
                  t -> {
                    if (!t.equals("last-progress") && !t.equals("first-message"))
                      throw new IllegalArgumentException(t);
                    return t;
                  })
              .orElse("last-progress");
      if (countFrom.equals("first-message") && intake.isEmpty() && top.get("intake").isPresent())
        problem(
            top.get("touches-count-from").orElseThrow(),
            "touches-count-from: first-message with intake: none: the touches would wait for a"
                + " message that only they can send");
      var allowed = allowedHours(top);
      var window = sendWindow(top, allowed);
      var cap = value(top, "touch-cap", "a whole number from 1", YamlReader::atLeastOne);
      if (top.get("touch-cap").isEmpty())
        problem(
            top.node(),
            "no touch-cap: without a cap on automated messages per step a patient could be"
                + " messaged without end (e.g. touch-cap: 8)");
      var pause =
          value(top, "positive-reply-pause", A_DURATION, YamlReader::duration)
              .orElse(Protocol.Defaults.POSITIVE_REPLY_PAUSE);
      var steps =
          top.get("steps")
              .map(
                  n -> map(n, "steps", List.of("default-interval", "late-import-window", "series")))
              .orElse(new Obj("steps", top.node(), Map.of()));
      var defaultInterval =
          value(steps, "default-interval", A_DURATION, YamlReader::duration)
              .orElse(Protocol.Defaults.STEP_INTERVAL);
      var lateImport =
          value(steps, "late-import-window", A_DURATION, YamlReader::duration)
              .orElse(Protocol.Defaults.LATE_IMPORT_WINDOW);
      var series =
          value(
                  steps,
                  "series",
                  "calendar (each visit on its own date) or after-previous (each the ordered gap"
                      + " after the previous visit)",
                  t ->
                      switch (t) {
                        case "calendar" -> Protocol.Series.CALENDAR;
                        case "after-previous" -> Protocol.Series.AFTER_PREVIOUS;
                        default -> throw new IllegalArgumentException(t);
                      })
              .orElse(Protocol.Series.CALENDAR);
      var touches = touches(top);
      var missed = missedAppointment(top);
      var outcome = outcomeCheck(top);
      var tiers = gapTiers(top);
      var cycleCap = cycleCap(top);
      var afterAcceptance =
          top.get("after-acceptance")
              .map(n -> map(n, "after-acceptance", List.of("schedule-within")))
              .flatMap(o -> {
                var within = value(o, "schedule-within", A_DURATION, YamlReader::duration);
                if (o.get("schedule-within").isEmpty())
                  problem(
                      o.node(),
                      "after-acceptance says how soon the accepted treatment is to be scheduled,"
                          + " e.g. after-acceptance: {schedule-within: 14d}");
                return within;
              });
      if (afterAcceptance.isPresent() && !triggers.contains("treatment-plan-presented"))
        problem(
            top.get("after-acceptance").orElseThrow(),
            "after-acceptance is for presented treatment plans: triggers has no"
                + " treatment-plan-presented");
      if (!problems.isEmpty()) return Optional.empty();
      try {
        return Optional.of(
            new Protocol(
                id.orElseThrow(),
                version.orElseThrow(),
                touches,
                defaultInterval,
                lateImport,
                missed,
                outcome,
                tiers.days(),
                cap.orElseThrow(),
                allowed,
                window,
                pause,
                triggers,
                intake,
                expire,
                onPositive,
                enrolWhen,
                countFrom.equals("first-message"),
                tiers.actions(),
                cycleCap,
                afterAcceptance,
                series));
      } catch (IllegalArgumentException e) {
        problem(top.node(), e.getMessage());
        return Optional.empty();
      }
    }

    AllowedHours allowedHours(Obj top) {
      if (top.get("allowed-hours").isEmpty()) return AllowedHours.DEFAULT;
      var o = map(top.get("allowed-hours").get(), "allowed-hours", List.of("from", "to"));
      var from = required(o, "from", "a time such as 08:00", YamlReader::time);
      var to = required(o, "to", "a time such as 21:00", YamlReader::time);
      if (from.isEmpty() || to.isEmpty()) return AllowedHours.DEFAULT;
      if (from.get().isBefore(DAY_START)
          || to.get().isAfter(DAY_END)
          || !from.get().isBefore(to.get())) {
        problem(
            o.node(),
            "allowed-hours "
                + from.get()
                + "–"
                + to.get()
                + " reach into the night: automated messages stay within "
                + DAY_START
                + "–"
                + DAY_END
                + " of the patient's day");
        return AllowedHours.DEFAULT;
      }
      return new AllowedHours(from.get(), to.get());
    }

    Optional<SendWindow> sendWindow(Obj top, AllowedHours allowed) {
      if (top.get("send-window").isEmpty()) return Optional.empty();
      var o = map(top.get("send-window").get(), "send-window", List.of("days", "from", "to"));
      var from = required(o, "from", "a time such as 10:00", YamlReader::time);
      var to = required(o, "to", "a time such as 14:00", YamlReader::time);
      var days = EnumSet.noneOf(java.time.DayOfWeek.class);
      for (var d : list(o, "days")) {
        String text = d instanceof ScalarNode s ? s.getValue() : "";
        var day = dayOfWeek(text);
        if (day.isEmpty())
          problem(d, "days: '" + text + "' is not a weekday such as mon, tue, … sun");
        else days.add(day.get());
      }
      if (o.get("days").isEmpty()) days = EnumSet.allOf(java.time.DayOfWeek.class);
      if (from.isEmpty() || to.isEmpty()) return Optional.empty();
      if (from.get().isBefore(allowed.from())
          || to.get().isAfter(allowed.until())
          || !from.get().isBefore(to.get())) {
        problem(
            o.node(),
            "send-window "
                + from.get()
                + "–"
                + to.get()
                + " reaches into the night: it must lie within the allowed hours "
                + allowed.from()
                + "–"
                + allowed.until());
        return Optional.empty();
      }
      if (days.isEmpty()) {
        problem(o.node(), "send-window has no days: nothing could ever be sent");
        return Optional.empty();
      }
      return Optional.of(new SendWindow(days, from.get(), to.get()));
    }
  }
}
