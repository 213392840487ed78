package org.careloop.app.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.careloop.app.OutboxItem;
import org.careloop.app.PatientRecord;
import org.careloop.app.Practice;
import org.careloop.core.Condition;
import org.careloop.core.Effect;
import org.careloop.core.StepKind;

/**
 * Message wording, as data with placeholders. Minimum necessary, as DESIGN.md requires: first name,
 * practice, the kind of step in plain words, and a link or phone number. Never a diagnosis, test or
 * medication name: {@link #lint} refuses any other field in an SMS.
 */
public final class Templates {

  /**
   * One template: its declared purpose (marketing needs consent), the SMS text, and the email's
   * subject and text.
   */
  public record Template(
      Effect.Purpose purpose, String sms, String emailSubject, String emailText) {}

  /** Fields an SMS may carry. */
  public static final Set<String> SMS_FIELDS = Set.of("first", "practice", "step", "action");

  /**
   * Fields an email may carry: the SMS ones, the practice's phone, and a treatment plan's estimated
   * cost (never in a text).
   */
  public static final Set<String> EMAIL_FIELDS =
      Set.of("first", "practice", "step", "action", "phone", "estimate");

  private static final Pattern FIELD = Pattern.compile("\\{([a-zA-Z]+)}");

  /** The template a protocol names, with the purpose its wording declares. */
  public static Optional<Effect.Template> named(String name) {
    return Optional.ofNullable(DEFAULTS.get(name)).map(t -> new Effect.Template(name, t.purpose()));
  }

  /** The shipped wording, in English. */
  public static final Map<String, Template> DEFAULTS = defaults();

  /**
   * English: the shipped templates, the step kinds' own words, BOOK as the reply; linted while the
   * class initialises.
   */
  public static final Wording ENGLISH = english();

  private static Wording english() {
    var steps = new java.util.EnumMap<StepKind, String>(StepKind.class);
    for (var k : StepKind.values()) steps.put(k, k.patientWords());
    return requireLinted(
        new Wording(
            "en",
            DEFAULTS,
            steps,
            OPT_OUT,
            "Book: ",
            "Call %s or reply BOOK.",
            "Call %s to book.",
            "Reply BOOK to book.",
            "Please call us to book.",
            "To stop these emails: "));
  }

  /** A language's wording whose every template passes {@link #lint}; refused otherwise. */
  static Wording requireLinted(Wording wording) {
    for (var e : wording.templates().entrySet()) {
      var problems = lint(e.getKey(), e.getValue(), wording);
      if (!problems.isEmpty())
        throw new IllegalStateException(wording.language() + ": " + String.join("; ", problems));
    }
    return wording;
  }

  private static Map<String, Template> defaults() {
    var t = new LinkedHashMap<String, Template>();
    String footer =
        "\n\nIf you have already booked, thank you: you can ignore this message.\n\n— {practice}";
    t.put(
        "INTAKE",
        new Template(
            Effect.Purpose.CARE,
            "Hi {first}, {practice}: next is your {step}. {action}",
            "Your care plan with {practice}",
            "Hi {first}, {practice} here. Your care plan is set; next is your {step}. {action}"
                + footer));
    t.put(
        "CHECK_IN",
        new Template(
            Effect.Purpose.CARE,
            "Hi {first}, {practice}: have you booked your {step}? {action}",
            "Booking your {step}",
            "Hi {first}, {practice} checking in: have you booked your {step} yet? {action}"
                + footer));
    t.put(
        "REMINDER",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hi {first}, {practice}: time to book your {step}. {action}",
            "Your next {step}",
            "Hi {first}, a reminder from {practice}: it is time to book your {step}. {action}"
                + footer));
    t.put(
        "MISSED_APPOINTMENT",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hi {first}, {practice} missed you at your {step}. {action}",
            "We missed you at your {step}",
            "Hi {first}, {practice} missed you at your {step}. {action}" + footer));
    t.put(
        "CANCELLED_REBOOK",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hi {first}, {practice}: your {step} was cancelled. {action}",
            "Let's find a new time for your {step}",
            "Hi {first}, {practice} here. Your {step} was cancelled; let's find a new time. {action}"
                + footer));
    t.put(
        "CARE_GAP",
        new Template(
            Effect.Purpose.CARE,
            "Hi {first}, your {step} with {practice} is past due. {action}",
            "Your {step} is past due",
            "Hi {first}, your {step} with {practice} is past due. {action}" + footer));
    t.put(
        "FINANCING_OFFER",
        new Template(
            Effect.Purpose.MARKETING,
            "Hi {first}, {practice}: payment plans for your {step}. {action}",
            "Payment plans for your {step}",
            "Hi {first}, {practice} offers monthly payment plans for your {step}. {action}"
                + footer));
    String faq =
        """


        Common questions
        - Will it hurt? Your dentist numbs the area and talks you through each step.
        - How many visits? It depends on the treatment; we plan them around your schedule.
        - What will insurance cover? Call us and we check your benefits before you book.\
        """;
    t.put(
        "VISIT_SUMMARY",
        new Template(
            Effect.Purpose.CARE,
            "Hi {first}, {practice}: next after your visit: {step}. {action}",
            "After your visit to {practice}",
            "Hi {first}, thank you for your visit to {practice} today.\n\nYour next step is your"
                + " {step}. {action}\n\nThe notes from your visit are in your patient portal."
                + footer));
    t.put(
        "RECALL_INVITE",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hi {first}, {practice}: your doctor recommends a {step}. {action}",
            "Time for your {step}",
            "Hi {first}, your doctor at {practice} recommends a {step}. {action}" + footer));
    t.put(
        "DENTAL_TREATMENT_WAITING",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hi {first}, {practice}: your {step} plan is ready. {action}",
            "Your treatment plan with {practice}",
            "Hi {first}, the {step} plan {practice} went over with you is ready when you are."
                + " {action}"
                + footer));
    t.put(
        "DENTAL_DETAILS",
        new Template(
            Effect.Purpose.CARE,
            "Hi {first}, {practice}: we emailed you the details of your {step} plan.",
            "About your treatment plan",
            "Hi {first}, here is a summary of the {step} plan {practice} presented to you.\n\n"
                + "Estimated cost: {estimate} before insurance."
                + faq
                + "\n\n{action}"
                + footer));
    t.put(
        "DENTAL_DETAILS_FINANCING",
        new Template(
            Effect.Purpose.MARKETING,
            "Hi {first}, {practice}: we emailed you the details of your {step} plan.",
            "About your treatment plan, and paying for it",
            "Hi {first}, here is a summary of the {step} plan {practice} presented to you.\n\n"
                + "Estimated cost: {estimate} before insurance."
                + "\n\nPaying over time\nYou can spread the cost in monthly payments. Ask us"
                + " about financing when you book."
                + faq
                + "\n\n{action}"
                + footer));
    t.put(
        "DENTAL_SPOT_SAVED",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hi {first}, {practice}: we saved a spot for your {step}. {action}",
            "We saved your spot",
            "Hi {first}, {practice} saved your spot for your {step}. {action}" + footer));
    return Map.copyOf(t);
  }

  private Templates() {}

  /**
   * The problems of a template: a field an SMS must not carry (anything that could name a
   * diagnosis, test, medication or the patient's full name), an unknown field, a malformed name, an
   * SMS too long for one segment.
   */
  public static List<String> lint(String name, Template t) {
    return lint(name, t, ENGLISH);
  }

  /**
   * The problems of a template of {@code wording}'s language, with its words' lengths: its longest
   * step words, call to action and opt-out line.
   */
  public static List<String> lint(String name, Template t, Wording wording) {
    var problems = new java.util.ArrayList<String>();
    for (String field : fields(t.sms())) {
      if (!SMS_FIELDS.contains(field)) {
        problems.add(
            "template "
                + name
                + ": the SMS uses {"
                + field
                + "}, which is not allowed in a text (allowed: "
                + new TreeSet<>(SMS_FIELDS)
                + ")");
      }
    }
    for (String field : fields(t.emailSubject() + t.emailText())) {
      if (!EMAIL_FIELDS.contains(field)) {
        problems.add(
            "template " + name + ": the email uses {" + field + "}, which careloop does not fill");
      }
    }
    int longest =
        SMS_FIELDS.containsAll(fields(t.sms()))
            ? worstCaseSmsLength(t.sms(), wording.worstStep(), wording.worstAction())
                + wording.optOut().length()
            : 0;
    if (longest > SMS_SEGMENT)
      problems.add(
          "template "
              + name
              + ": the SMS can reach "
              + longest
              + " characters (a first name of "
              + WORST_FIRST
              + ", a practice name of "
              + WORST_PRACTICE
              + ", the longest step, a tracked link and the opt-out line); one segment is "
              + SMS_SEGMENT);
    if (!name.matches("[A-Z][A-Z0-9_]*"))
      problems.add(
          "template name '" + name + "' must be upper case letters, digits and _ (e.g. CHECK_IN)");
    return problems;
  }

  /** One GSM-7 SMS segment. */
  static final int SMS_SEGMENT = 160;

  /** The name lengths a text must fit one segment with. */
  static final int WORST_FIRST = 10, WORST_PRACTICE = 25;

  private static final String OPT_OUT = " Reply STOP to opt out.";

  private static int worstCaseSmsLength(String sms, int step, int action) {
    return fill(
            sms,
            Map.of(
                "first", "x".repeat(WORST_FIRST),
                "practice", "x".repeat(WORST_PRACTICE),
                "step", "x".repeat(step),
                "action", "x".repeat(action)))
        .length();
  }

  private static Set<String> fields(String text) {
    var out = new TreeSet<String>();
    var m = FIELD.matcher(text);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  private static String fill(String text, Map<String, String> values) {
    var m = FIELD.matcher(text);
    var out = new StringBuilder();
    while (m.find())
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(values.get(m.group(1))));
    m.appendTail(out);
    return out.toString();
  }

  /** Renders a patient message. */
  public static Message render(
      OutboxItem item,
      PatientRecord patient,
      Practice practice,
      String to,
      Links.ForMessage links) {
    return render(item, patient, practice, to, links, Optional::empty);
  }

  /**
   * Renders a patient message.
   *
   * @param valueCents the plan's value, read only for templates that state an estimated cost
   */
  public static Message render(
      OutboxItem item,
      PatientRecord patient,
      Practice practice,
      String to,
      Links.ForMessage links,
      java.util.function.Supplier<Optional<Long>> valueCents) {
    String name = item.template().orElseThrow();
    var wording = Wording.of(patient.language());
    if (name.equals(OwnWords.TEMPLATE)) return ownWords(item, wording, practice, to, links);
    var template = wording.templates().get(name);
    if (template == null) throw new IllegalArgumentException("unknown template " + name);
    String channel = item.channel().orElseThrow();
    var kinds =
        java.util.Arrays.stream(item.stepKind().orElseThrow().split(","))
            .map(StepKind::valueOf)
            .toList();
    if (channel.equals("SMS")) {
      // A text naming a visit's other steps too drops the last of them until it fits one segment;
      // with its own step alone it always does (lint).
      for (int n = kinds.size(); ; n--) {
        var sms =
            renderWith(
                item,
                patient,
                wording,
                template,
                practice,
                to,
                links,
                valueCents,
                kinds.subList(0, n));
        if (n == 1 || sms.body().length() <= SMS_SEGMENT) return sms;
      }
    }
    return renderWith(item, patient, wording, template, practice, to, links, valueCents, kinds);
  }

  /**
   * A message in a person's own words: their text (checked by {@link OwnWords} before it was
   * queued), signed with the practice's name, and the opt-out line or unsubscribe link every
   * message has.
   */
  private static Message ownWords(
      OutboxItem item, Wording wording, Practice practice, String to, Links.ForMessage links) {
    String words =
        item.body().orElseThrow(() -> new ChannelSender.PermanentFailure("own words without text"));
    String channel = item.channel().orElseThrow();
    if (channel.equals("SMS"))
      return new Message(
          item.idempotencyKey(),
          channel,
          to,
          Optional.empty(),
          gsm7Punctuation(words + " – " + practice.name() + wording.optOut()),
          Optional.empty(),
          practice.smsSender(),
          Optional.empty());
    return new Message(
        item.idempotencyKey(),
        channel,
        to,
        Optional.of(practice.name()),
        words
            + "\n\n"
            + practice.name()
            + practice.phone().map(p -> " · " + p).orElse("")
            + links.unsubscribe().map(u -> "\n\n" + wording.unsubscribe() + u).orElse(""),
        links.unsubscribe(),
        practice.emailFrom(),
        links.openPixel());
  }

  private static Message renderWith(
      OutboxItem item,
      PatientRecord patient,
      Wording wording,
      Template template,
      Practice practice,
      String to,
      Links.ForMessage links,
      java.util.function.Supplier<Optional<Long>> valueCents,
      List<StepKind> kinds) {
    String channel = item.channel().orElseThrow();
    var values =
        Map.of(
            "first",
            patient.firstName(),
            "practice",
            practice.name(),
            "step",
            wording.steps(kinds),
            "action",
            wording.callToAction(practice, links, channel.equals("SMS")),
            "phone",
            practice.phone().orElse(""),
            "estimate",
            // Read only for the templates that state it: it costs a read of the plan.
            channel.equals("EMAIL") && template.emailText().contains("{estimate}")
                ? valueCents
                    .get()
                    .map(v -> Condition.dollars(Optional.of(v)))
                    .orElse("as discussed")
                : "");
    if (channel.equals("SMS")) {
      return new Message(
          item.idempotencyKey(),
          channel,
          to,
          Optional.empty(),
          gsm7Punctuation(fill(template.sms(), values) + wording.optOut()),
          Optional.empty(),
          practice.smsSender(),
          Optional.empty());
    }
    String body =
        fill(template.emailText(), values)
            + practice.phone().map(p -> " · " + p).orElse("")
            + links.unsubscribe().map(u -> "\n\n" + wording.unsubscribe() + u).orElse("");
    return new Message(
        item.idempotencyKey(),
        channel,
        to,
        Optional.of(fill(template.emailSubject(), values)),
        body,
        links.unsubscribe(),
        practice.emailFrom(),
        links.openPixel());
  }

  /**
   * Typographic punctuation (as in a practice name like "O’Brien – Family Care") as its plain GSM-7
   * equivalent: one curly apostrophe would send the whole text as UCS-2, at 70 characters a segment
   * instead of 160. Letters are left alone: a patient's name is spelled as it is.
   */
  static String gsm7Punctuation(String text) {
    return text.replace('\u2019', '\'')
        .replace('\u2018', '\'')
        .replace('\u201C', '"')
        .replace('\u201D', '"')
        .replace('\u2013', '-')
        .replace('\u2014', '-')
        .replace('\u00A0', ' ')
        .replace("\u2026", "...");
  }
}
