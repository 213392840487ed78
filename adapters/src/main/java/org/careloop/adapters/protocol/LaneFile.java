package org.careloop.adapters.protocol;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.careloop.app.engine.LaneRules;
import org.careloop.core.Lane;
import org.careloop.core.Priority;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The coordinator lanes as YAML ({@code lanes.yaml}): business hours, a response window per
 * priority tier, and per lane its lowest tier, owner, backup and escalation role. Problems are
 * named by file and line, as for protocols.
 */
public final class LaneFile {
  private LaneFile() {}

  /** What reading gave: the rules, or the problems. */
  public record Result(Optional<LaneRules> rules, List<ProtocolFile.Problem> problems) {}

  public static Result read(String file, String text) {
    var problems = new ArrayList<ProtocolFile.Problem>();
    var root = YamlReader.compose(file, text, problems);
    if (root.isEmpty()) return new Result(Optional.empty(), problems);
    if (!(root.get() instanceof MappingNode)) {
      problems.add(new ProtocolFile.Problem(file, 1, "a lanes file is a mapping (lanes:, …)"));
      return new Result(Optional.empty(), problems);
    }
    var r = new YamlReader(file, problems);
    var top =
        r.map(
            root.get(),
            "the lanes file",
            List.of("business-hours", "response-windows", "lanes", "worse-symptoms-to"));
    var defaults = LaneRules.defaults();

    var hours = defaults.hours();
    if (top.get("business-hours").isPresent()) {
      var o =
          r.map(top.get("business-hours").get(), "business-hours", List.of("days", "from", "to"));
      var days = EnumSet.noneOf(DayOfWeek.class);
      for (var d : r.list(o, "days")) {
        String t = d instanceof ScalarNode s ? s.getValue() : "";
        YamlReader.dayOfWeek(t)
            .ifPresentOrElse(
                days::add, () -> r.problem(d, "days: '" + t + "' is not a weekday such as mon"));
      }
      var from = r.required(o, "from", "a time such as 08:00", YamlReader::time);
      var to = r.required(o, "to", "a time such as 17:00", YamlReader::time);
      if (from.isPresent() && to.isPresent()) {
        if (days.isEmpty() || !from.get().isBefore(to.get()))
          r.problem(o.node(), "business-hours need days and from before to");
        else hours = new LaneRules.BusinessHours(days, from.get(), to.get());
      }
    }

    var windows = new EnumMap<Priority, String>(defaults.windows());
    if (top.get("response-windows").isPresent()) {
      var o =
          r.map(
              top.get("response-windows").get(),
              "response-windows",
              List.of("urgent", "high", "routine"));
      for (var p : Priority.values()) {
        String key = p.name().toLowerCase(Locale.ROOT);
        r.value(
                o,
                key,
                "same-day, next-business-day, N-business-days or Nh",
                t -> {
                  if (!LaneRules.WINDOW_TEXT.matcher(t).matches())
                    throw new IllegalArgumentException(t);
                  return t;
                })
            .ifPresent(w -> windows.put(p, w));
      }
    }

    var lanes = new EnumMap<Lane, LaneRules.LaneRule>(Lane.class);
    lanes.putAll(defaults.lanes());
    if (top.get("lanes").isPresent()) {
      var names = new ArrayList<String>();
      for (var l : Lane.values()) names.add(l.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      var o = r.map(top.get("lanes").get(), "lanes", names);
      for (var lane : Lane.values()) {
        String key = lane.name().toLowerCase(Locale.ROOT).replace('_', '-');
        var node = o.get(key);
        if (node.isEmpty()) continue;
        var lo =
            r.map(
                node.get(), "lanes." + key, List.of("priority", "owner", "backup", "escalate-to"));
        var base = defaults.rule(lane);
        var floor =
            r.value(
                    lo,
                    "priority",
                    YamlReader.choices(Priority.class),
                    t -> YamlReader.named(Priority.class, t))
                .orElse(base.floor());
        lanes.put(
            lane,
            new LaneRules.LaneRule(
                floor,
                role(r, lo, "owner").orElse(base.owner()),
                role(r, lo, "backup").orElse(base.backup()),
                role(r, lo, "escalate-to").orElse(base.escalateTo())));
      }
    }
    var worse = role(r, top, "worse-symptoms-to").orElse(defaults.worseSymptomsTo());
    if (!problems.isEmpty()) return new Result(Optional.empty(), problems);
    return new Result(Optional.of(new LaneRules(hours, windows, lanes, worse)), problems);
  }

  private static Optional<String> role(YamlReader r, YamlReader.Obj o, String key) {
    return r.value(
        o,
        key,
        "one of " + new TreeSet<>(LaneRules.ROLES),
        t -> {
          if (!LaneRules.ROLES.contains(t)) throw new IllegalArgumentException(t);
          return t;
        });
  }
}
