package org.careloop.adapters.protocol;

import java.io.StringReader;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Walks a YAML tree (SnakeYAML's nodes, which keep their line numbers) and collects every problem
 * with its file and line: unknown fields, a list where a value belongs, a value that does not
 * parse. Knows nothing of protocols; {@link ProtocolFile} and {@link LaneFile} say what their files
 * may hold.
 */
class YamlReader {
  private static final Pattern DURATION = Pattern.compile("([0-9]+)(m|h|d)");

  private final String file;
  final List<ProtocolFile.Problem> problems;

  YamlReader(String file, List<ProtocolFile.Problem> problems) {
    this.file = file;
    this.problems = problems;
  }

  /** The YAML tree of a file, or empty with the problem recorded. */
  static Optional<Node> compose(String file, String text, List<ProtocolFile.Problem> problems) {
    try {
      var options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      return Optional.ofNullable(new Yaml(options).compose(new StringReader(text)));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      problems.add(new ProtocolFile.Problem(file, line, "not valid YAML: " + e.getProblem()));
      return Optional.empty();
    }
  }

  /** A mapping with its keys checked against the known ones. */
  record Obj(String what, Node node, Map<String, Node> values) {
    Optional<Node> get(String key) {
      return Optional.ofNullable(values.get(key));
    }
  }

  static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  void problem(Node at, String message) {
    problems.add(new ProtocolFile.Problem(file, line(at), message));
  }

  Obj map(Node node, String what, List<String> known) {
    var values = new LinkedHashMap<String, Node>();
    if (!(node instanceof MappingNode m)) {
      problem(node, what + " must be a mapping of " + known);
      return new Obj(what, node, values);
    }
    for (var tuple : m.getValue()) {
      String key =
          tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : tuple.getKeyNode().toString();
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

  /** A whole number from 1 (a version, a cap, a count of misses). */
  static int atLeastOne(String text) {
    int v = Integer.parseInt(text);
    if (v < 1) throw new IllegalArgumentException(text);
    return v;
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

  static final String AN_AMOUNT = "an amount in dollars such as 1500 or 1500.00";

  static long cents(String text) {
    var amount = new java.math.BigDecimal(text.replace("$", "").replace(",", ""));
    if (amount.signum() < 0) throw new IllegalArgumentException(text);
    return amount.movePointRight(2).longValueExact();
  }

  static Optional<java.time.DayOfWeek> dayOfWeek(String text) {
    for (var d : java.time.DayOfWeek.values())
      if (d.name().substring(0, 3).equalsIgnoreCase(text) || d.name().equalsIgnoreCase(text))
        return Optional.of(d);
    return Optional.empty();
  }

  /** A duration as the file writes it: 14d, 48h, 30m. */
  static String show(Duration d) {
    if (d.toMinutes() % (24 * 60) == 0) return d.toDays() + "d";
    if (d.toMinutes() % 60 == 0) return d.toHours() + "h";
    return d.toMinutes() + "m";
  }
}
