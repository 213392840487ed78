package org.careloop.app.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import org.careloop.app.OutboxItem;
import org.careloop.app.PatientRecord;
import org.careloop.app.Practice;
import org.careloop.core.Channel;
import org.careloop.core.StepKind;
import org.junit.jupiter.api.Test;

/**
 * The wording patients get. Every shipped text fits one SMS segment (160 GSM-7 characters) for a
 * first name of up to 10 letters, a practice name of up to 25 characters and a tracked link, and
 * uses only GSM-7 characters (one curly apostrophe would make it UCS-2, 70 characters a segment).
 */
class TemplatesTest {
  /** The GSM 03.38 basic character set (the extension table's characters count twice). */
  static final String GSM7 =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  static String sms(String template, StepKind step, String first, String practiceName) {
    return render(
        "SMS",
        template,
        step,
        first,
        practiceName,
        Optional.of("+16175550100"),
        Optional.of("https://book.example.org/x"),
        // A tracked link as careloop makes them: the public URL, /l/ and a 12-character code.
        Optional.of("https://careloop.example.org/l/AbCdEfGhIjKl"));
  }

  static String render(
      String channel,
      String template,
      StepKind step,
      String first,
      String practiceName,
      Optional<String> phone,
      Optional<String> bookingUrl,
      Optional<String> trackedLink) {
    return render(
        channel,
        template,
        step,
        first,
        practiceName,
        phone,
        bookingUrl,
        trackedLink,
        Optional.empty());
  }

  static String render(
      String channel,
      String template,
      StepKind step,
      String first,
      String practiceName,
      Optional<String> phone,
      Optional<String> bookingUrl,
      Optional<String> trackedLink,
      Optional<String> language) {
    return render(
        channel,
        template,
        step.name(),
        first,
        practiceName,
        phone,
        bookingUrl,
        trackedLink,
        language);
  }

  /** As above, {@code steps} the outbox's step kinds ("LAB" or "LAB,REFERRAL"). */
  static String render(
      String channel,
      String template,
      String steps,
      String first,
      String practiceName,
      Optional<String> phone,
      Optional<String> bookingUrl,
      Optional<String> trackedLink,
      Optional<String> language) {
    var practice =
        new Practice("p", practiceName, ZoneId.of("America/New_York"), phone, bookingUrl);
    var patient =
        new PatientRecord(
            "csv:patient:1",
            "p",
            first,
            "Lee",
            Optional.of("+16175550101"),
            Optional.empty(),
            Optional.of("sam@example.org"),
            Optional.of(Channel.SMS),
            language,
            practice.zone(),
            Optional.empty());
    var item =
        new OutboxItem(
            1,
            "pl-1:intake:" + channel,
            Optional.of("pl-1"),
            Optional.of("pa-1"),
            OutboxItem.Kind.MESSAGE,
            Optional.of(channel),
            Optional.of(template),
            Optional.of(steps),
            Optional.empty(),
            OutboxItem.Status.PENDING,
            0,
            Instant.EPOCH,
            Instant.EPOCH,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    var links = new Links.ForMessage(trackedLink, Optional.empty(), Optional.empty());
    return Templates.render(item, patient, practice, "+16175550101", links).body();
  }

  @Test
  void aTextWithNoLink_saysWhichReplyItUnderstands_anEmailDoesNot() {
    var phone = Optional.of("+16175550100");
    assertThat(
            render(
                "SMS",
                "CHECK_IN",
                StepKind.LAB,
                "Sam",
                "Riverside",
                phone,
                Optional.empty(),
                Optional.empty()))
        .isEqualTo(
            "Hi Sam, Riverside: have you booked your lab test? Call +16175550100 or reply"
                + " BOOK."
                + " Reply STOP to opt out.");
    assertThat(
            render(
                "SMS",
                "CHECK_IN",
                StepKind.LAB,
                "Sam",
                "Riverside",
                Optional.empty(),
                Optional.empty(),
                Optional.empty()))
        .contains("Reply BOOK to book.");
    assertThat(
            render(
                "EMAIL",
                "CHECK_IN",
                StepKind.LAB,
                "Sam",
                "Riverside",
                phone,
                Optional.empty(),
                Optional.empty()))
        .contains("Call +16175550100 to book.")
        .doesNotContain("reply BOOK");
  }

  @Test
  void everyShippedText_fitsOneSegment_forLongNames_andIsGsm7() {
    for (String template : Templates.DEFAULTS.keySet()) {
      for (StepKind step : StepKind.values()) {
        String body = sms(template, step, "Christabel", "Riverside Family Medicine");
        assertThat(body.length()).as(template + "/" + step + ": " + body).isLessThanOrEqualTo(160);
        assertThat(body.chars().filter(c -> GSM7.indexOf(c) < 0).mapToObj(Character::toString))
            .as(body)
            .isEmpty();
      }
    }
  }

  @Test
  void everySpanishText_fitsOneSegment_forLongNames_andIsGsm7() {
    for (String template : Templates.DEFAULTS.keySet()) {
      for (StepKind step : StepKind.values()) {
        String body =
            render(
                "SMS",
                template,
                step,
                "Christabel",
                "Riverside Family Medicine",
                Optional.of("+16175550100"),
                Optional.of("https://book.example.org/x"),
                Optional.of("https://careloop.example.org/l/AbCdEfGhIjKl"),
                Optional.of("es"));
        assertThat(body).as(template + "/" + step).startsWith("Hola Christabel");
        assertThat(body.length()).as(template + "/" + step + ": " + body).isLessThanOrEqualTo(160);
        assertThat(body.chars().filter(c -> GSM7.indexOf(c) < 0).mapToObj(Character::toString))
            .as(body)
            .isEmpty();
      }
    }
  }

  @Test
  void aPatientWhoseLanguageIsSpanish_getsSpanish_textAndEmail_andOthersEnglish() {
    var phone = Optional.of("+16175550100");
    for (String language : new String[] {"es", "es-MX", "Spanish", "Español", "spa"})
      assertThat(
              render(
                  "SMS",
                  "CHECK_IN",
                  StepKind.LAB,
                  "Sam",
                  "Riverside",
                  phone,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(language)))
          .as(language)
          .isEqualTo(
              "Hola Sam, Riverside: ¿tiene fecha para su prueba de laboratorio? Llame al +16175550100 o"
                  + " responda SI. Baja: responda STOP.");
    assertThat(
            render(
                "EMAIL",
                "CHECK_IN",
                StepKind.THERAPY,
                "Sam",
                "Riverside",
                phone,
                Optional.empty(),
                Optional.empty(),
                Optional.of("es")))
        .startsWith("Hola Sam, le escribe Riverside: ¿ya tiene fecha para su cita de terapia?")
        .contains("Llame al +16175550100 para pedir cita.", "Si ya tiene cita, gracias");
    assertThat(
            render(
                "SMS",
                "CHECK_IN",
                StepKind.LAB,
                "Sam",
                "Riverside",
                phone,
                Optional.empty(),
                Optional.empty(),
                Optional.of("fr")))
        .startsWith("Hi Sam, Riverside: have you booked your lab test?");
  }

  @Test
  void aMessageForSeveralStepsOfOneVisit_namesThemAll_andATextDropsTheLastUntilItFits() {
    var phone = Optional.of("+16175550100");
    var none = Optional.<String>empty();
    assertThat(render("SMS", "INTAKE", "LAB,REFERRAL", "Sam", "Riverside", phone, none, none, none))
        .isEqualTo(
            "Hi Sam, Riverside: next is your lab test and specialist visit. Call +16175550100 or"
                + " reply BOOK. Reply STOP to opt out.");
    assertThat(
            render(
                "EMAIL",
                "CHECK_IN",
                "LAB,REFERRAL,IMAGING",
                "Sam",
                "Riverside",
                phone,
                none,
                none,
                Optional.of("es")))
        .startsWith(
            "Hola Sam, le escribe Riverside: ¿ya tiene fecha para su prueba de laboratorio, visita al"
                + " especialista y prueba de imagen?");
    // Long names: all three steps would not fit one segment; the text names as many as do.
    String text =
        render(
            "SMS",
            "CHECK_IN",
            "THERAPY,REFERRAL,MEDICATION_CHECK",
            "Christabel",
            "Riverside Family Medicine",
            phone,
            Optional.of("https://book.example.org/x"),
            Optional.of("https://careloop.example.org/l/AbCdEfGhIjKl"),
            none);
    assertThat(text.length()).as(text).isLessThanOrEqualTo(160);
    assertThat(text)
        .contains("have you booked your therapy session")
        .doesNotContain("medication check");
  }

  @Test
  void theRepliesTheTextsInvite_areUnderstoodAsWantingToBook() {
    for (String reply : new String[] {"BOOK", "yes", "Y", "ok", "SI", "Sí", "sí.", "cita"})
      assertThat(ReplyWords.classify(reply)).as(reply).isEqualTo(ReplyWords.Meaning.BOOK);
    assertThat(ReplyWords.classify("si puedo el martes")).isEqualTo(ReplyWords.Meaning.FREE_TEXT);
  }

  @Test
  void typographicPunctuationInNames_isSentAsPlainGsm7() {
    String body = sms("INTAKE", StepKind.LAB, "Zoë", "O’Brien – Family Care");
    assertThat(body).startsWith("Hi Zoë, O'Brien - Family Care: next is your lab test.");
  }

  @Test
  void lint_refusesPhiFieldsInTexts_tooLongTexts_andBadNames_andPassesTheShippedOnes() {
    for (var e : Templates.DEFAULTS.entrySet())
      assertThat(Templates.lint(e.getKey(), e.getValue())).as(e.getKey()).isEmpty();
    var phi =
        new Templates.Template(
            org.careloop.core.Effect.Purpose.CARE,
            "Hi {first}, your {diagnosis} follow-up with {practice}. {action}",
            "Your next {step}",
            "Hi {first}");
    assertThat(Templates.lint("CHECK_IN", phi))
        .containsExactly(
            "template CHECK_IN: the SMS uses {diagnosis}, which is not allowed in a text"
                + " (allowed: [action, first, practice, step])");
    var wordy =
        new Templates.Template(
            org.careloop.core.Effect.Purpose.CARE,
            "Hi {first}, this is {practice}. We are writing to let you know that your {step} is"
                + " not booked yet. {action}",
            "Your next {step}",
            "Hi {first}");
    assertThat(Templates.lint("CHECK_IN", wordy))
        .singleElement()
        .asString()
        .startsWith("template CHECK_IN: the SMS can reach 199 characters");
    assertThat(
            Templates.lint("check-in", Objects.requireNonNull(Templates.DEFAULTS.get("CHECK_IN"))))
        .containsExactly(
            "template name 'check-in' must be upper case letters, digits and _ (e.g. CHECK_IN)");
    // A protocol gets a template's purpose from its wording: a financing offer is marketing.
    assertThat(Templates.named("FINANCING_OFFER").orElseThrow().purpose())
        .isEqualTo(org.careloop.core.Effect.Purpose.MARKETING);
    assertThat(Templates.named("NO_SUCH")).isEmpty();
  }
}
