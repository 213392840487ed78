package org.careloop.app;

import java.util.Optional;
import org.careloop.core.StepKind;

/**
 * Message wording. Minimum necessary, as DESIGN.md requires: first name, practice, the kind of step
 * in plain words, and a link or phone number. Never a diagnosis, test or medication name.
 */
public final class Templates {
  private Templates() {}

  /** Renders a patient message. */
  public static Message render(
      OutboxItem item, PatientRecord patient, Practice practice, String to) {
    String template = item.template().orElseThrow();
    String channel = item.channel().orElseThrow();
    String step = StepKind.valueOf(item.stepKind().orElseThrow()).patientWords();
    String first = patient.firstName();
    String practiceName = practice.name();
    String action = callToAction(practice);
    String sms =
        switch (template) {
          case "INTAKE" ->
              "Hi "
                  + first
                  + ", "
                  + practiceName
                  + " here. Your care plan is set; next is your "
                  + step
                  + ". "
                  + action;
          case "CHECK_IN" ->
              "Hi "
                  + first
                  + ", "
                  + practiceName
                  + " checking in: your "
                  + step
                  + " is not booked yet. "
                  + action;
          case "REMINDER" ->
              "Hi "
                  + first
                  + ", a reminder from "
                  + practiceName
                  + ": it is time to book your "
                  + step
                  + ". "
                  + action;
          case "MISSED_APPOINTMENT" ->
              "Hi "
                  + first
                  + ", "
                  + practiceName
                  + " missed you at your "
                  + step
                  + " today. "
                  + action;
          case "CARE_GAP" ->
              "Hi "
                  + first
                  + ", your "
                  + step
                  + " with "
                  + practiceName
                  + " is past due. "
                  + action;
          default -> throw new IllegalArgumentException("unknown template " + template);
        };
    if (channel.equals("SMS")) {
      return new Message(
          item.idempotencyKey(), channel, to, Optional.empty(), sms + " Reply STOP to opt out.");
    }
    String subject =
        switch (template) {
          case "INTAKE" -> "Your care plan with " + practiceName;
          case "MISSED_APPOINTMENT" -> "We missed you today";
          case "CARE_GAP" -> "Your " + step + " is past due";
          default -> "Your next " + step;
        };
    String body =
        sms
            + "\n\nIf you have already booked, thank you: you can ignore this message.\n\n— "
            + practiceName
            + practice.phone().map(p -> " · " + p).orElse("");
    return new Message(item.idempotencyKey(), channel, to, Optional.of(subject), body);
  }

  private static String callToAction(Practice practice) {
    return practice
        .bookingUrl()
        .map(url -> "Book: " + url)
        .or(() -> practice.phone().map(phone -> "Call " + phone + " to book."))
        .orElse("Please call us to book.");
  }
}
