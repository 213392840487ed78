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
import org.careloop.core.Channel;
import org.careloop.core.Effect;
import org.careloop.core.Lane;
import org.careloop.core.Priority;
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
          "care-gap-tiers",
          "intake",
          "expire-after",
          "on-positive-reply",
          "enrol-when",
          "touches-count-from");

  /** Reads a protocol's own parts: its identity, timing, sending rules and care-gap tiers. */
  static final class Reader extends TouchRulesReader {
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
      var version =
          required(
              top,
              "version",
              "a whole number from 1",
              t -> {
                int v = Integer.parseInt(t);
                if (v < 1) throw new IllegalArgumentException(t);
                return v;
              });
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
      var cap =
          value(
              top,
              "touch-cap",
              "a whole number from 1",
              t -> {
                int v = Integer.parseInt(t);
                if (v < 1) throw new IllegalArgumentException(t);
                return v;
              });
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
              .map(n -> map(n, "steps", List.of("default-interval", "late-import-window")))
              .orElse(new Obj("steps", top.node(), Map.of()));
      var defaultInterval =
          value(steps, "default-interval", A_DURATION, YamlReader::duration)
              .orElse(Protocol.Defaults.STEP_INTERVAL);
      var lateImport =
          value(steps, "late-import-window", A_DURATION, YamlReader::duration)
              .orElse(Protocol.Defaults.LATE_IMPORT_WINDOW);
      var touches = touches(top);
      var missed =
          top.get("missed-appointment")
              .map(n ->
                  map(
                      n,
                      "missed-appointment",
                      List.of("reply-window", "rebook-grace", "provider-review-after-misses")))
              .orElse(new Obj("missed-appointment", top.node(), Map.of()));
      var replyWindow =
          value(missed, "reply-window", A_DURATION, YamlReader::duration)
              .orElse(Protocol.Defaults.MISSED_REPLY_WINDOW);
      var rebookGrace =
          value(missed, "rebook-grace", A_DURATION, YamlReader::duration)
              .orElse(Protocol.Defaults.REBOOK_GRACE);
      var reviewAfter =
          value(missed, "provider-review-after-misses", "a whole number from 1", Integer::parseInt)
              .orElse(Protocol.Defaults.PROVIDER_REVIEW_AFTER_MISSES);
      var tiers = gapTiers(top);
      if (!problems.isEmpty()) return Optional.empty();
      try {
        return Optional.of(
            new Protocol(
                id.orElseThrow(),
                version.orElseThrow(),
                touches,
                defaultInterval,
                lateImport,
                replyWindow,
                rebookGrace,
                reviewAfter,
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
                tiers.actions()));
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

    /** The care-gap tiers: when each starts, and what it does. */
    record Tiers(List<Integer> days, List<Protocol.GapAction> actions) {}

    static final List<String> TIER =
        List.of("after", "do", "template", "channels", "lane", "priority", "respond-within");

    /**
     * The tiers, each a duration ({@code 8d}: the tier's shipped action) or a mapping saying what
     * it does ({@code {after: 8d, do: task, priority: high, respond-within: 1d}}).
     */
    Tiers gapTiers(Obj top) {
      if (top.get("care-gap-tiers").isEmpty())
        return new Tiers(Protocol.Defaults.GAP_TIER_DAYS, Protocol.GapAction.DEFAULTS);
      var nodes = list(top, "care-gap-tiers");
      var tiers = new ArrayList<Integer>();
      var actions = new ArrayList<Protocol.GapAction>();
      for (int i = 0; i < nodes.size(); i++) {
        var n = nodes.get(i);
        var fallback = Protocol.GapAction.DEFAULTS.get(Math.min(i, 3));
        if (n instanceof ScalarNode s) {
          wholeDays(n, s.getValue()).ifPresent(tiers::add);
          actions.add(fallback);
          continue;
        }
        var o = map(n, "care-gap tier " + (i + 1), TIER);
        var after = scalar(o, "after");
        if (after.isEmpty()) problem(n, "care-gap tier " + (i + 1) + " has no after (such as 8d)");
        else wholeDays(o.get("after").orElseThrow(), after.get()).ifPresent(tiers::add);
        actions.add(gapAction(o, i + 1, fallback));
      }
      if (tiers.size() != 4 && problems.isEmpty())
        problem(
            top.get("care-gap-tiers").get(),
            "care-gap-tiers lists the days past due of exactly 4 tiers, got " + tiers.size());
      for (int i = 1; i < tiers.size(); i++)
        if (tiers.get(i) <= tiers.get(i - 1)) {
          problem(top.get("care-gap-tiers").get(), "care-gap-tiers must rise, got " + tiers);
          break;
        }
      return new Tiers(tiers, actions);
    }

    private Optional<Integer> wholeDays(Node at, String text) {
      try {
        var d = duration(text);
        if (d.toHours() % 24 != 0) throw new IllegalArgumentException(text);
        return Optional.of((int) d.toDays());
      } catch (IllegalArgumentException e) {
        problem(at, "care-gap-tiers: '" + text + "' is not a whole number of days such as 8d");
        return Optional.empty();
      }
    }

    /** What one tier does; without {@code do:} the tier's shipped action. */
    private Protocol.GapAction gapAction(Obj o, int tier, Protocol.GapAction fallback) {
      String what = "care-gap tier " + tier;
      var action = value(o, "do", "message, task, notify-provider or report", t -> t).orElse("");
      var allowed =
          switch (action) {
            case "message" -> List.of("after", "do", "template", "channels");
            case "task" -> List.of("after", "do", "lane", "priority", "respond-within");
            case "notify-provider", "report", "" -> List.of("after", "do");
            default -> {
              problem(
                  o.get("do").orElseThrow(),
                  what + ": do '" + action + "' is not message, task, notify-provider or report");
              yield TIER;
            }
          };
      for (var key : o.values().keySet())
        if (!allowed.contains(key))
          problem(o.get(key).orElseThrow(), what + ": " + key + " does not go with do: " + action);
      return switch (action) {
        case "message" -> {
          var template = template(o, what);
          if (o.get("template").isEmpty()) problem(o.node(), what + ": a message needs a template");
          var channels = channels(o, what);
          yield new Protocol.GapAction.Message(
              template.orElse(Effect.Template.CARE_GAP),
              channels.isEmpty() ? List.of(Channel.SMS) : List.copyOf(channels));
        }
        case "task" ->
            new Protocol.GapAction.Task(
                value(o, "lane", choices(Lane.class), t -> named(Lane.class, t)),
                value(o, "priority", choices(Priority.class), t -> named(Priority.class, t))
                    .orElse(Protocol.Defaults.GAP_TASK_PRIORITY),
                value(o, "respond-within", A_DURATION, YamlReader::duration)
                    .orElse(Protocol.Defaults.GAP_TASK_RESPOND_WITHIN));
        case "notify-provider" -> new Protocol.GapAction.NotifyProvider();
        case "report" -> new Protocol.GapAction.Report();
        default -> fallback;
      };
    }
  }
}
