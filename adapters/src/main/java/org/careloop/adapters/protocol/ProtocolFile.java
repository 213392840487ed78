package org.careloop.adapters.protocol;

import java.io.StringReader;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.careloop.app.Templates;
import org.careloop.core.AllowedHours;
import org.careloop.core.Channel;
import org.careloop.core.Condition;
import org.careloop.core.Effect;
import org.careloop.core.Lane;
import org.careloop.core.Priority;
import org.careloop.core.Protocol;
import org.careloop.core.SendWindow;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

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

  private static final Pattern DURATION = Pattern.compile("([0-9]+)(m|h|d)");

  private ProtocolFile() {}

  /** The YAML tree of a file, or empty with the problem recorded. */
  static Optional<Node> compose(String file, String text, List<Problem> problems) {
    try {
      var options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      return Optional.ofNullable(new Yaml(options).compose(new StringReader(text)));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      problems.add(new Problem(file, line, "not valid YAML: " + e.getProblem()));
      return Optional.empty();
    }
  }

  /** Reads and checks one protocol file. */
  public static Result read(String file, String text) {
    var problems = new ArrayList<Problem>();
    var composed = compose(file, text, problems);
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

  /** A mapping with its keys checked against the known ones. */
  record Obj(String what, Node node, Map<String, Node> values) {
    Optional<Node> get(String key) {
      return Optional.ofNullable(values.get(key));
    }
  }

  /** Walks the YAML tree, collecting problems. */
  static final class Reader {
    private final String file;
    private final List<Problem> problems;

    Reader(String file, List<Problem> problems) {
      this.file = file;
      this.problems = problems;
    }

    static int line(Node node) {
      return node.getStartMark().getLine() + 1;
    }

    void problem(Node at, String message) {
      problems.add(new Problem(file, line(at), message));
    }

    Obj map(Node node, String what, List<String> known) {
      var values = new LinkedHashMap<String, Node>();
      if (!(node instanceof MappingNode m)) {
        problem(node, what + " must be a mapping of " + known);
        return new Obj(what, node, values);
      }
      for (var tuple : m.getValue()) {
        String key =
            tuple.getKeyNode() instanceof ScalarNode s
                ? s.getValue()
                : tuple.getKeyNode().toString();
        if (!known.contains(key)) {
          problem(
              tuple.getKeyNode(),
              "unknown field '"
                  + key
                  + "' in "
                  + what
                  + " (known: "
                  + String.join(", ", known)
                  + ")");
          continue;
        }
        values.put(key, tuple.getValueNode());
      }
      return new Obj(what, node, values);
    }

    Optional<String> scalar(Obj o, String key) {
      var node = o.get(key);
      if (node.isEmpty()) return Optional.empty();
      if (!(node.get() instanceof ScalarNode s)) {
        problem(node.get(), key + " in " + o.what() + " must be a single value");
        return Optional.empty();
      }
      return Optional.of(s.getValue().trim());
    }

    <T> Optional<T> value(Obj o, String key, String expected, Function<String, T> parse) {
      var text = scalar(o, key);
      if (text.isEmpty()) return Optional.empty();
      try {
        return Optional.of(parse.apply(text.get()));
      } catch (RuntimeException e) {
        problem(o.get(key).orElseThrow(), key + " '" + text.get() + "' is not " + expected);
        return Optional.empty();
      }
    }

    <T> Optional<T> required(Obj o, String key, String expected, Function<String, T> parse) {
      if (o.get(key).isEmpty()) {
        problem(o.node(), o.what() + " has no " + key + " (" + expected + ")");
        return Optional.empty();
      }
      return value(o, key, expected, parse);
    }

    List<Node> list(Obj o, String key) {
      var node = o.get(key);
      if (node.isEmpty()) return List.of();
      if (!(node.get() instanceof SequenceNode s)) {
        problem(node.get(), key + " in " + o.what() + " must be a list");
        return List.of();
      }
      return s.getValue();
    }

    static Duration duration(String text) {
      var m = DURATION.matcher(text);
      if (!m.matches()) throw new IllegalArgumentException(text);
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }

    static final String A_DURATION = "a duration such as 30m, 48h or 7d";

    static LocalTime time(String text) {
      try {
        return LocalTime.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(text);
      }
    }

    static <E extends Enum<E>> E named(Class<E> type, String text) {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    static <E extends Enum<E>> String choices(Class<E> type) {
      var names = new TreeSet<String>();
      for (var e : type.getEnumConstants())
        names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      return "one of " + names;
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
      var expire = value(top, "expire-after", A_DURATION, Reader::duration);
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
          value(top, "positive-reply-pause", A_DURATION, Reader::duration)
              .orElse(Duration.ofDays(7));
      var steps =
          top.get("steps")
              .map(n -> map(n, "steps", List.of("default-interval", "late-import-window")))
              .orElse(new Obj("steps", top.node(), Map.of()));
      var defaultInterval =
          value(steps, "default-interval", A_DURATION, Reader::duration)
              .orElse(Duration.ofDays(42));
      var lateImport =
          value(steps, "late-import-window", A_DURATION, Reader::duration)
              .orElse(Duration.ofDays(14));
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
          value(missed, "reply-window", A_DURATION, Reader::duration).orElse(Duration.ofDays(2));
      var rebookGrace =
          value(missed, "rebook-grace", A_DURATION, Reader::duration).orElse(Duration.ofHours(2));
      var reviewAfter =
          value(missed, "provider-review-after-misses", "a whole number from 1", Integer::parseInt)
              .orElse(2);
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
                tiers,
                cap.orElseThrow(),
                allowed,
                window,
                pause,
                triggers,
                intake,
                expire,
                onPositive,
                enrolWhen,
                countFrom.equals("first-message")));
      } catch (IllegalArgumentException e) {
        problem(top.node(), e.getMessage());
        return Optional.empty();
      }
    }

    /** The first message: absent means an SMS with INTAKE; {@code none} means no intake. */
    Optional<Protocol.Intake> intake(Obj top) {
      var node = top.get("intake");
      if (node.isEmpty())
        return Optional.of(new Protocol.Intake(Set.of(Channel.SMS), Effect.Template.INTAKE));
      if (node.get() instanceof ScalarNode s && s.getValue().equals("none"))
        return Optional.empty();
      var o = map(node.get(), "intake", List.of("channels", "template"));
      var channels = channels(o, "intake");
      var template = template(o, "intake");
      if (template.isEmpty() || channels.isEmpty()) {
        if (o.get("template").isEmpty())
          problem(
              o.node(), "intake: a touchpoint without a template: name one, or say intake: none");
        else if (channels.isEmpty()) problem(o.node(), "intake goes on no channel");
        return Optional.empty();
      }
      return Optional.of(new Protocol.Intake(channels, template.get()));
    }

    EnumSet<Channel> channels(Obj o, String what) {
      var channels = EnumSet.noneOf(Channel.class);
      for (var c : list(o, "channels")) {
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

    static final String AN_AMOUNT = "an amount in dollars such as 1500 or 1500.00";

    static long cents(String text) {
      var amount = new java.math.BigDecimal(text.replace("$", "").replace(",", ""));
      if (amount.signum() < 0) throw new IllegalArgumentException(text);
      return amount.movePointRight(2).longValueExact();
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
      var atLeast = value(o, "value-at-least", AN_AMOUNT, Reader::cents);
      var above = value(o, "value-above", AN_AMOUNT, Reader::cents);
      var consent = scalar(o, "consent");
      if (consent.isPresent() && !consent.get().equals("marketing"))
        problem(
            o.get("consent").orElseThrow(),
            what + ": consent '" + consent.get() + "' is not marketing");
      var within = value(o, "started-within", A_DURATION, Reader::duration);
      if (o.values().isEmpty())
        problem(
            o.node(),
            what
                + " says nothing: give value-at-least, value-above, consent, started-within,"
                + " due-within or due-beyond");
      var dueWithin = value(o, "due-within", A_DURATION, Reader::duration);
      var dueBeyond = value(o, "due-beyond", A_DURATION, Reader::duration);
      return new Condition(atLeast, above, consent.isPresent(), within, dueWithin, dueBeyond);
    }

    AllowedHours allowedHours(Obj top) {
      if (top.get("allowed-hours").isEmpty()) return AllowedHours.DEFAULT;
      var o = map(top.get("allowed-hours").get(), "allowed-hours", List.of("from", "to"));
      var from = required(o, "from", "a time such as 08:00", Reader::time);
      var to = required(o, "to", "a time such as 21:00", Reader::time);
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
      var from = required(o, "from", "a time such as 10:00", Reader::time);
      var to = required(o, "to", "a time such as 14:00", Reader::time);
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

    static Optional<java.time.DayOfWeek> dayOfWeek(String text) {
      for (var d : java.time.DayOfWeek.values())
        if (d.name().substring(0, 3).equalsIgnoreCase(text) || d.name().equalsIgnoreCase(text))
          return Optional.of(d);
      return Optional.empty();
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
          after = value(o, "before-due", A_DURATION, Reader::duration);
          if (o.get("every").isPresent())
            problem(o.node(), what + ": a touch before the due date does not repeat");
        } else {
          after = required(o, "after", A_DURATION + " (or before-due: 30d)", Reader::duration);
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
          if (vo.get("template").isEmpty())
            problem(vo.node(), vw + ": a variant without a template");
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
        var every = value(o, "every", A_DURATION, Reader::duration);
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
            every.isEmpty() || (times.isEmpty() && until.isEmpty()) ? 1 : times.orElse(MAX_REPEATS);
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

    /** A duration as the file writes it: 14d, 48h, 30m. */
    static String show(Duration d) {
      if (d.toMinutes() % (24 * 60) == 0) return d.toDays() + "d";
      if (d.toMinutes() % 60 == 0) return d.toHours() + "h";
      return d.toMinutes() + "m";
    }

    Protocol.StaffTask task(Node node, String what) {
      var o = map(node, what + ".task", List.of("lane", "priority", "title", "respond-within"));
      var lane =
          required(o, "lane", choices(Lane.class), t -> named(Lane.class, t))
              .orElse(Lane.MONITORING);
      var priority =
          required(o, "priority", choices(Priority.class), t -> named(Priority.class, t))
              .orElse(Priority.ROUTINE);
      var title = required(o, "title", "the task's title", t -> t).orElse("");
      var within =
          value(o, "respond-within", A_DURATION, Reader::duration).orElse(Duration.ofDays(1));
      return new Protocol.StaffTask(lane, priority, title, within);
    }

    List<Integer> gapTiers(Obj top) {
      var nodes = list(top, "care-gap-tiers");
      if (top.get("care-gap-tiers").isEmpty()) return List.of(1, 8, 15, 31);
      var tiers = new ArrayList<Integer>();
      for (var n : nodes) {
        String text = n instanceof ScalarNode s ? s.getValue() : "";
        try {
          var d = duration(text);
          if (d.toHours() % 24 != 0) throw new IllegalArgumentException(text);
          tiers.add((int) d.toDays());
        } catch (IllegalArgumentException e) {
          problem(n, "care-gap-tiers: '" + text + "' is not a whole number of days such as 8d");
        }
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
      return tiers;
    }
  }
}
