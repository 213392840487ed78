package org.careloop.app.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.app.PatientRecord;
import org.junit.jupiter.api.Test;

/** What a person's own words may not carry to a patient, each refused with its reason. */
class OwnWordsTest {
  static final PatientRecord ANA =
      new PatientRecord(
              "csv:patient:MRN2",
              "default",
              "Ana",
              "Diaz",
              Optional.of("+16175550102"),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.of("en"),
              ZoneId.of("America/New_York"))
          .withBirthDate(Optional.of(LocalDate.of(1961, 7, 4)));

  static Optional<String> problem(String text) {
    return OwnWords.problem(text, ANA, List.of("MRI lumbar spine", "Lipid panel"));
  }

  @Test
  void plainWords_pass() {
    assertThat(problem("Hi Ana, we have a spot on Friday at 10. Call us or reply BOOK to take it."))
        .isEmpty();
    assertThat(problem("Your follow-up visit is due: please call us this week.")).isEmpty();
  }

  @Test
  void whatMustStayOut_isRefused_withWhy() {
    assertThat(problem("  ")).contains("the message is empty");
    assertThat(problem("x".repeat(241)))
        .contains("the message is 241 characters; at most 240 go in a message");
    assertThat(problem("Hi Ms. Diaz, please call us"))
        .get()
        .asString()
        .startsWith("the patient's last name");
    assertThat(problem("Confirming DOB 7/4/1961"))
        .contains("the patient's date of birth stays out of messages");
    assertThat(problem("Your MRN is 0012345"))
        .get()
        .asString()
        .startsWith("a number of five digits or more");
    assertThat(problem("Call 617-555-0100"))
        .get()
        .asString()
        .startsWith("a number of five digits or more");
    assertThat(problem("Book at https://example.org/x"))
        .get()
        .asString()
        .startsWith("links and addresses");
    assertThat(problem("Write to ana@example.org"))
        .get()
        .asString()
        .startsWith("links and addresses");
    assertThat(problem("Your mri lumbar spine is due"))
        .contains(
            "'MRI lumbar spine' says what the plan is for: name the kind of visit (a follow-up, a"
                + " lab test) instead");
    assertThat(problem("Your results are in"))
        .get()
        .asString()
        .startsWith("'result…' names a condition");
    assertThat(problem("About your diabetes check")).get().asString().startsWith("'diabet…'");
    // A word that merely contains a clinical one is not it.
    assertThat(problem("We are pleased to see you")).isEmpty();
    assertThat(problem("We will still see you on Friday")).isEmpty();
    assertThat(problem("About your STI test"))
        .get()
        .asString()
        .startsWith("'sti' names a condition");
    assertThat(problem("Take two pills")).get().asString().startsWith("'pill' names");
  }
}
