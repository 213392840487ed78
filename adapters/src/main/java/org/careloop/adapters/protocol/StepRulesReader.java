package org.careloop.adapters.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.core.Channel;
import org.careloop.core.Effect;
import org.careloop.core.Lane;
import org.careloop.core.Priority;
import org.careloop.core.Protocol;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads what happens to a step that does not go as planned: a missed or cancelled appointment, a
 * visit whose outcome never comes, and the care-gap tiers of a step past due.
 */
class StepRulesReader extends TouchRulesReader {
  StepRulesReader(String file, List<ProtocolFile.Problem> problems) {
    super(file, problems);
  }

  /**
   * {@code missed-appointment}: the reply window, the rebook grace, the misses that flag provider
   * review, the outreach's channels and the coordinator's task when no reply comes.
   */
  Protocol.MissedAppointment missedAppointment(Obj top) {
    var d = Protocol.Defaults.MISSED_APPOINTMENT;
    if (top.get("missed-appointment").isEmpty()) return d;
    var o =
        map(
            top.get("missed-appointment").get(),
            "missed-appointment",
            List.of(
                "reply-window",
                "rebook-grace",
                "provider-review-after-misses",
                "outreach-channels",
                "no-reply-task"));
    var replyWindow =
        value(o, "reply-window", A_DURATION, YamlReader::duration).orElse(d.replyWindow());
    if (replyWindow.isZero() || replyWindow.isNegative()) {
      problem(
          o.get("reply-window").orElseThrow(), "missed-appointment: reply-window must be above 0");
      replyWindow = d.replyWindow();
    }
    var rebookGrace =
        value(o, "rebook-grace", A_DURATION, YamlReader::duration).orElse(d.rebookGrace());
    var reviewAfter =
        value(o, "provider-review-after-misses", "a whole number from 1", YamlReader::atLeastOne)
            .orElse(d.providerReviewAfterMisses());
    List<Channel> channels = d.outreachChannels();
    if (o.get("outreach-channels").isPresent()) {
      var read = channels(o, "outreach-channels", "missed-appointment");
      if (read.isEmpty())
        problem(
            o.get("outreach-channels").orElseThrow(),
            "missed-appointment: outreach-channels needs at least one of sms, email");
      else channels = List.copyOf(read);
    }
    var task =
        o.get("no-reply-task")
            .map(n -> task(n, "missed-appointment.no-reply"))
            .orElse(d.noReplyTask());
    return new Protocol.MissedAppointment(replyWindow, rebookGrace, reviewAfter, channels, task);
  }

  /**
   * {@code outcome-check}: how many business days a booked visit's outcome may take, and the task
   * that asks a person whether the patient came.
   */
  Protocol.OutcomeCheck outcomeCheck(Obj top) {
    var d = Protocol.Defaults.OUTCOME_CHECK;
    if (top.get("outcome-check").isEmpty()) return d;
    var o =
        map(
            top.get("outcome-check").get(),
            "outcome-check",
            List.of("grace-business-days", "task"));
    int grace =
        value(
                o,
                "grace-business-days",
                "a whole number of business days from 1 to 10",
                t -> {
                  int v = Integer.parseInt(t);
                  if (v < 1 || v > 10) throw new IllegalArgumentException(t);
                  return v;
                })
            .orElse(d.graceBusinessDays());
    var task = o.get("task").map(n -> task(n, "outcome-check")).orElse(d.task());
    return new Protocol.OutcomeCheck(grace, task);
  }

  /**
   * {@code cycle-cap: {automated: 2, human: 1}}: the most touches one cycle of a step gets, if the
   * protocol caps them.
   */
  Optional<Protocol.CycleCap> cycleCap(Obj top) {
    if (top.get("cycle-cap").isEmpty()) return Optional.empty();
    var o = map(top.get("cycle-cap").get(), "cycle-cap", List.of("automated", "human"));
    var automated = value(o, "automated", "a whole number from 1", YamlReader::atLeastOne);
    var human =
        value(
            o,
            "human",
            "a whole number from 0",
            t -> {
              int v = Integer.parseInt(t);
              if (v < 0) throw new IllegalArgumentException(t);
              return v;
            });
    if (o.get("automated").isEmpty() || o.get("human").isEmpty())
      problem(
          o.node(),
          "cycle-cap names both automated and human, e.g. cycle-cap: {automated: 2, human: 1}");
    if (automated.isEmpty() || human.isEmpty()) return Optional.empty();
    return Optional.of(new Protocol.CycleCap(automated.get(), human.get()));
  }

  /** The care-gap tiers: when each starts, and what it does. */
  record Tiers(List<Integer> days, List<Protocol.GapAction> actions) {}

  static final List<String> TIER =
      List.of("after", "do", "template", "channels", "lane", "priority", "respond-within");

  /**
   * The tiers, each a duration ({@code 8d}: the tier's shipped action) or a mapping saying what it
   * does ({@code {after: 8d, do: task, priority: high, respond-within: 1d}}).
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
