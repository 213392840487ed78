package org.careloop.app.messaging;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.careloop.app.Practice;
import org.careloop.core.StepKind;

/**
 * The words of one language: its templates, the kinds of steps in plain words, the opt-out line,
 * the calls to action and the email's unsubscribe line. A patient gets the language their record
 * names (FHIR {@code Patient.communication}, the CSV's {@code language}) when careloop has it, else
 * English.
 *
 * @param book a booking link's label, e.g. "Book: "
 * @param callOrReply in a text, with the practice's number: what to call or reply ({@code %s} the
 *     number)
 * @param call in an email, with the practice's number ({@code %s})
 * @param reply in a text, without a number
 * @param callUs in an email, without a number
 */
public record Wording(
    String language,
    Map<String, Templates.Template> templates,
    Map<StepKind, String> steps,
    String optOut,
    String book,
    String callOrReply,
    String call,
    String reply,
    String callUs,
    String unsubscribe) {

  public Wording {
    templates = Map.copyOf(templates);
    steps = Map.copyOf(steps);
    for (var k : StepKind.values())
      if (!steps.containsKey(k))
        throw new IllegalStateException(language + ": no words for the step kind " + k);
  }

  /**
   * The wording for a patient's language as their record gives it ("es", "es-MX", "spa", "Spanish",
   * "Español"), English for anything careloop has no wording in.
   */
  public static Wording of(Optional<String> language) {
    var l = language.map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("en");
    if (l.equals("es")
        || l.startsWith("es-")
        || l.startsWith("es_")
        || l.equals("spa")
        || l.equals("spanish")
        || l.equals("español")
        || l.equals("espanol")) return SpanishWording.SPANISH;
    return Templates.ENGLISH;
  }

  /**
   * Whether careloop writes to a patient in {@code language} as their record gives it: English or a
   * language it has wording in. A patient whose language it does not write needs an interpreter.
   */
  public static boolean writesIn(String language) {
    var l = language.strip().toLowerCase(Locale.ROOT);
    return l.isEmpty()
        || l.equals("en")
        || l.startsWith("en-")
        || l.startsWith("en_")
        || l.equals("eng")
        || l.equals("english")
        || !of(Optional.of(language)).language().equals("en");
  }

  /** The step kind in this language's plain words. */
  public String step(StepKind kind) {
    return java.util.Objects.requireNonNull(steps.get(kind));
  }

  /**
   * What the patient can do: a booking link to click; else, in a text, the reply careloop
   * understands beside the practice's number; else the number.
   */
  String callToAction(Practice practice, Links.ForMessage links, boolean text) {
    return links
        .booking()
        .or(practice::bookingUrl)
        .map(url -> book + url)
        .or(() -> practice.phone().map(phone -> String.format(text ? callOrReply : call, phone)))
        .orElse(text ? reply : callUs);
  }

  /**
   * The longest call to action a text can carry: a tracked link (on a 28-character public URL), or
   * a number and the reply.
   */
  int worstAction() {
    return Math.max(
        (book + "https://careloop.example.org/l/AbCdEfGhIjKl").length(),
        String.format(callOrReply, "+16175550100").length());
  }

  /**
   * Several steps in this language's plain words, as one list: "lab test", "lab test and specialist
   * visit", "lab test, specialist visit and imaging visit"; a generic follow-up beside named steps
   * is left out.
   */
  public String steps(java.util.List<StepKind> kinds) {
    // The generic "follow-up" says nothing beside a named step.
    var named = kinds.size() > 1 ? kinds.stream().filter(k -> k != StepKind.OTHER).toList() : kinds;
    var words = (named.isEmpty() ? kinds : named).stream().map(this::step).toList();
    if (words.size() == 1) return words.get(0);
    String and = language.equals("es") ? " y " : " and ";
    return String.join(", ", words.subList(0, words.size() - 1)) + and + words.getLast();
  }

  /** The longest step words. */
  int worstStep() {
    return steps.values().stream().mapToInt(String::length).max().orElse(0);
  }
}
