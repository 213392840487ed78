package org.careloop.adapters.protocol;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.careloop.app.messaging.Templates;
import org.careloop.core.Channel;
import org.careloop.core.Condition;
import org.careloop.core.Effect;
import org.careloop.core.Lane;
import org.careloop.core.Priority;
import org.careloop.core.Protocol;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads what a protocol sends and when: the intake message, the between-steps touches (a message or
 * a person's task, conditions and variants, repeats), their channels and templates.
 */
class TouchRulesReader extends YamlReader {
  TouchRulesReader(String file, List<ProtocolFile.Problem> problems) {
    super(file, problems);
  }

  /** The first message: absent means an SMS with INTAKE; {@code none} means no intake. */
  Optional<Protocol.Intake> intake(Obj top) {
    var node = top.get("intake");
    if (node.isEmpty())
      return Optional.of(new Protocol.Intake(Set.of(Channel.SMS), Effect.Template.INTAKE));
    if (node.get() instanceof ScalarNode s && s.getValue().equals("none")) return Optional.empty();
    var o = map(node.get(), "intake", List.of("channels", "template"));
    var channels = channels(o, "intake");
    var template = template(o, "intake");
    if (template.isEmpty() || channels.isEmpty()) {
      if (o.get("template").isEmpty())
        problem(o.node(), "intake: a touchpoint without a template: name one, or say intake: none");
      else if (channels.isEmpty()) problem(o.node(), "intake goes on no channel");
      return Optional.empty();
    }
    return Optional.of(new Protocol.Intake(channels, template.get()));
  }

  EnumSet<Channel> channels(Obj o, String what) {
    return channels(o, "channels", what);
  }

  /** The channels listed under {@code key}: sms or email (a call is a person's task). */
  EnumSet<Channel> channels(Obj o, String key, String what) {
    var channels = EnumSet.noneOf(Channel.class);
    for (var c : list(o, key)) {
      String text = c instanceof ScalarNode s ? s.getValue() : "";
      try {
        var channel = named(Channel.class, text);
        if (channel == Channel.VOICE) throw new IllegalArgumentException(text);
        channels.add(channel);
      } catch (IllegalArgumentException e) {
        problem(c, what + ": channel '" + text + "' is not sms or email");
      }
    }
    return channels;
  }

  Optional<Effect.Template> template(Obj o, String what) {
    var name = scalar(o, "template");
    if (name.isEmpty()) return Optional.empty();
    var template = Templates.named(name.get());
    if (template.isEmpty())
      problem(
          o.get("template").orElseThrow(),
          what
              + ": template '"
              + name.get()
              + "' is not defined (defined: "
              + new TreeSet<>(Templates.DEFAULTS.keySet())
              + ")");
    return template;
  }

  /** A condition on the plan's value and the patient's consent. */
  Condition condition(Node node, String what) {
    var o =
        map(
            node,
            what,
            List.of(
                "value-at-least",
                "value-above",
                "consent",
                "started-within",
                "due-within",
                "due-beyond"));
    var atLeast = value(o, "value-at-least", AN_AMOUNT, YamlReader::cents);
    var above = value(o, "value-above", AN_AMOUNT, YamlReader::cents);
    var consent = scalar(o, "consent");
    if (consent.isPresent() && !consent.get().equals("marketing"))
      problem(
          o.get("consent").orElseThrow(),
          what + ": consent '" + consent.get() + "' is not marketing");
    var within = value(o, "started-within", A_DURATION, YamlReader::duration);
    if (o.values().isEmpty())
      problem(
          o.node(),
          what
              + " says nothing: give value-at-least, value-above, consent, started-within,"
              + " due-within or due-beyond");
    var dueWithin = value(o, "due-within", A_DURATION, YamlReader::duration);
    var dueBeyond = value(o, "due-beyond", A_DURATION, YamlReader::duration);
    return new Condition(atLeast, above, consent.isPresent(), within, dueWithin, dueBeyond);
  }

  static final List<String> TOUCH =
      List.of(
          "after",
          "before-due",
          "channels",
          "template",
          "task",
          "every",
          "times",
          "until",
          "when",
          "instead");

  List<Protocol.Touch> touches(Obj top) {
    var out = new ArrayList<Protocol.Touch>();
    // Where each offset was first declared: a second touch at the same offset never fires.
    var firstAt = new TreeMap<String, String>();
    var nodes = list(top, "between-steps");
    for (int i = 0; i < nodes.size(); i++) {
      String what = "between-steps[" + (i + 1) + "]";
      var o = map(nodes.get(i), what, TOUCH);
      boolean beforeDue = o.get("before-due").isPresent();
      Optional<Duration> after;
      if (beforeDue && o.get("after").isPresent()) {
        problem(
            o.node(),
            what + ": a touch comes after the last progress or before the due date, not both");
        after = Optional.empty();
      } else if (beforeDue) {
        after = value(o, "before-due", A_DURATION, YamlReader::duration);
        if (o.get("every").isPresent())
          problem(o.node(), what + ": a touch before the due date does not repeat");
      } else {
        after = required(o, "after", A_DURATION + " (or before-due: 30d)", YamlReader::duration);
      }
      if (after.isPresent() && after.get().isZero()) {
        problem(o.node(), what + ": after must be more than 0 (the intake covers the start)");
        after = Optional.empty();
      }
      var channels = channels(o, what);
      var templateName = scalar(o, "template");
      var template = template(o, what);
      var when = o.get("when").map(n -> condition(n, what + ".when"));
      var variants = new ArrayList<Protocol.Variant>();
      var instead = list(o, "instead");
      for (int v = 0; v < instead.size(); v++) {
        String vw = what + ".instead[" + (v + 1) + "]";
        var vo = map(instead.get(v), vw, List.of("when", "template"));
        var vwhen = vo.get("when").map(n -> condition(n, vw + ".when"));
        var vtemplate = template(vo, vw);
        if (vwhen.isEmpty())
          problem(vo.node(), vw + " has no when: it would always replace the template");
        if (vo.get("template").isEmpty()) problem(vo.node(), vw + ": a variant without a template");
        if (vwhen.isPresent() && vtemplate.isPresent())
          variants.add(new Protocol.Variant(vwhen.get(), vtemplate.get()));
      }
      Optional<Protocol.StaffTask> task = o.get("task").map(n -> task(n, what));
      if (o.get("task").isPresent() && (templateName.isPresent() || !channels.isEmpty()))
        problem(o.node(), what + ": a touch makes a task or sends a message, not both");
      else if (o.get("task").isEmpty() && templateName.isEmpty())
        problem(
            o.node(),
            what
                + ": a touchpoint without a template"
                + (channels.isEmpty() ? "" : " (it sends on " + channels + ")")
                + ": name one, e.g. template: CHECK_IN, or make it a task");
      else if (templateName.isPresent() && channels.isEmpty())
        problem(o.node(), what + ": template " + templateName.get() + " goes on no channel");
      var every = value(o, "every", A_DURATION, YamlReader::duration);
      var times = value(o, "times", "a whole number from 2", Integer::parseInt);
      var until = scalar(o, "until");
      if (until.isPresent() && !until.get().equals("due"))
        problem(o.get("until").orElseThrow(), what + ": until '" + until.get() + "' is not due");
      if (every.isPresent() && times.isEmpty() && until.isEmpty())
        problem(
            o.get("every").orElseThrow(),
            what
                + ": a repeat without an exit: say times: N, or until: due (it stops when the"
                + " step falls due)");
      if (every.isEmpty() && (times.isPresent() || until.isPresent()))
        problem(o.node(), what + ": times and until need every");
      if (every.isPresent() && every.get().compareTo(Duration.ofHours(24)) < 0)
        problem(o.get("every").orElseThrow(), what + ": every must be at least 1d");
      if (after.isEmpty()) continue;
      // A repeat without an exit was reported above; it counts once so nothing else trips on it.
      int count =
          every.isEmpty() || (times.isEmpty() && until.isEmpty())
              ? 1
              : times.orElse(ProtocolFile.MAX_REPEATS);
      for (int k = 0; k < count; k++) {
        var at = after.get().plus(every.orElse(Duration.ZERO).multipliedBy(k));
        var earlier = firstAt.putIfAbsent((beforeDue ? "due-" : "") + show(at), what);
        if (earlier != null) {
          problem(
              o.node(),
              what
                  + " at "
                  + show(at)
                  + " is unreachable: "
                  + earlier
                  + " already fires at "
                  + show(at)
                  + (beforeDue ? " before the due date" : " after the last progress"));
          break;
        }
        if (template.isPresent() || task.isPresent())
          out.add(new Protocol.Touch(at, channels, template, task, when, variants, beforeDue));
      }
    }
    out.sort(java.util.Comparator.comparing(Protocol.Touch::after));
    return out;
  }

  Protocol.StaffTask task(Node node, String what) {
    var o = map(node, what + ".task", List.of("lane", "priority", "title", "respond-within"));
    var lane =
        required(o, "lane", choices(Lane.class), t -> named(Lane.class, t)).orElse(Lane.MONITORING);
    var priority =
        required(o, "priority", choices(Priority.class), t -> named(Priority.class, t))
            .orElse(Priority.ROUTINE);
    var title = required(o, "title", "the task's title", t -> t).orElse("");
    var within =
        value(o, "respond-within", A_DURATION, YamlReader::duration).orElse(Duration.ofDays(1));
    return new Protocol.StaffTask(lane, priority, title, within);
  }
}
