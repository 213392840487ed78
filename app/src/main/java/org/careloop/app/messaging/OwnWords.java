package org.careloop.app.messaging;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.careloop.app.PatientRecord;

/**
 * A message a person writes in their own words, checked before it is queued: the minimum necessary,
 * as every template is. What a text or an email seen by someone else must not carry is refused with
 * the reason: the patient's last name or date of birth, long numbers (an MRN, a phone, a member
 * id), links and addresses (careloop adds the practice's booking link and number), the plan's own
 * step descriptions, and words that name a condition, a result or a treatment.
 */
public final class OwnWords {
  /** The template name an own-words message goes out under. */
  public static final String TEMPLATE = "OWN_WORDS";

  /** The longest own-words message: two text segments with the practice's name and STOP line. */
  public static final int MAX = 240;

  private static final Pattern LONG_NUMBER = Pattern.compile("\\d[\\d -]{3,}\\d");
  private static final Pattern LINK =
      Pattern.compile("(?i)(https?://|www\\.|[^\\s@]+@[^\\s@]+\\.[a-z]{2,})");

  /**
   * Words that say what a patient has or is treated for: never in a message. One of five letters or
   * more is a stem ("diabet" is diabetes and diabetic); a shorter one is a whole word, plural too
   * ("sti" is not "still").
   */
  static final List<String> CLINICAL =
      List.of(
          "result",
          "diagnos",
          "cancer",
          "tumor",
          "tumour",
          "biopsy",
          "hiv",
          "aids",
          "std",
          "sti",
          "hepatitis",
          "pregnan",
          "abortion",
          "diabet",
          "insulin",
          "depress",
          "anxiety",
          "psychiat",
          "mental",
          "bipolar",
          "schizo",
          "opioid",
          "addiction",
          "rehab",
          "alcohol",
          "overdose",
          "suicid",
          "dementia",
          "alzheimer",
          "chemo",
          "radiation",
          "dialysis",
          "positive",
          "negative",
          "abnormal",
          "prescription",
          "dose",
          "mg",
          "pill");

  private OwnWords() {}

  /**
   * Why these words may not go to the patient, if they may not: the first problem, worded for the
   * person who wrote them.
   */
  public static Optional<String> problem(String text, PatientRecord patient, List<String> steps) {
    String t = text.strip();
    if (t.isEmpty()) return Optional.of("the message is empty");
    if (t.length() > MAX)
      return Optional.of(
          "the message is " + t.length() + " characters; at most " + MAX + " go in a message");
    String lower = t.toLowerCase(Locale.ROOT);
    if (!patient.lastName().isBlank()
        && Pattern.compile(
                "\\b" + Pattern.quote(patient.lastName().toLowerCase(Locale.ROOT)) + "\\b")
            .matcher(lower)
            .find())
      return Optional.of(
          "the patient's last name stays out of messages (someone else may read them); the first"
              + " name is enough");
    for (String dob : birthDates(patient))
      if (t.contains(dob)) return Optional.of("the patient's date of birth stays out of messages");
    if (LONG_NUMBER.matcher(t).find())
      return Optional.of(
          "a number of five digits or more (an MRN, a phone, a member id) stays out of messages;"
              + " the practice's number is added for you");
    if (LINK.matcher(t).find())
      return Optional.of(
          "links and addresses stay out of a message you write; careloop adds the practice's"
              + " booking link and number");
    for (String s : steps)
      if (s.length() >= 4 && lower.contains(s.toLowerCase(Locale.ROOT)))
        return Optional.of(
            "'"
                + s
                + "' says what the plan is for: name the kind of visit (a follow-up, a lab test)"
                + " instead");
    for (String w : CLINICAL)
      if (Pattern.compile("\\b" + Pattern.quote(w) + (w.length() < 5 ? "s?\\b" : ""))
          .matcher(lower)
          .find())
        return Optional.of(
            "'"
                + w
                + (w.length() < 5 ? "" : "…")
                + "' names a condition, a result or a treatment; those stay out of messages");
    return Optional.empty();
  }

  private static List<String> birthDates(PatientRecord patient) {
    var out = new ArrayList<String>();
    patient
        .birthDate()
        .ifPresent(d -> {
          out.add(d.toString());
          out.add(d.format(DateTimeFormatter.ofPattern("M/d/yyyy")));
          out.add(d.format(DateTimeFormatter.ofPattern("MM/dd/yyyy")));
          out.add(d.format(DateTimeFormatter.ofPattern("M/d/yy")));
        });
    return out;
  }
}
