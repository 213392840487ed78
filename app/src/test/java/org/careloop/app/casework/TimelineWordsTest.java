package org.careloop.app.casework;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.careloop.app.Reads;
import org.junit.jupiter.api.Test;

/** The case page's timeline says what happened in a coordinator's words. */
class TimelineWordsTest {
  static TimelineWords.Line line(String kind, String text) {
    return TimelineWords.of(new Reads.TimelineRow(Instant.EPOCH, kind, text));
  }

  @Test
  void agendaKeysAndKinds_areWords() {
    assertThat(line("effect", "checkin:follow-up:d7: patient opted out of SMS, sent by EMAIL"))
        .extracting(TimelineWords.Line::label, TimelineWords.Line::text)
        .containsExactly("Done", "Day-7 check-in: patient opted out of SMS, sent by EMAIL");
    assertThat(line("skipped", "missed-outreach:step-1:1: outside the allowed hours").text())
        .isEqualTo("Outreach after a missed visit: outside the allowed hours");
    assertThat(line("decision", "intake: one message for the steps started together").label())
        .isEqualTo("Decided");
    // A line that starts with no agenda key, or an unknown word, is left as it is.
    assertThat(line("event", "appointment booked for 2026-03-06").text())
        .isEqualTo("appointment booked for 2026-03-06");
    assertThat(line("event", "lab: done").text()).isEqualTo("lab: done");
    assertThat(line("custom", "x").label()).isEqualTo("Custom");
  }
}
