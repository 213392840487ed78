package org.careloop.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When an automated message may go out: inside the patient's allowed hours (narrowed by their
 * state's law), inside the protocol's send window, not on a practice holiday, and under the
 * patient's frequency caps across all plans. Every rule only ever moves the time later, so the
 * search ends at the first minute all of them allow.
 */
final class SendGate {
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration WEEK = Duration.ofDays(7);

  /**
   * @param at the first instant every rule allows
   * @param why the rules that moved it, when any did
   */
  record Open(Instant at, Optional<String> why) {}

  private SendGate() {}

  static Open next(Instant from, Protocol protocol, Contact contact, List<Instant> outreach) {
    var reach = contact.reach();
    var rules = contact.rules();
    var hours = protocol.allowedHours().in(reach.region());
    Instant t = from;
    var why = new java.util.LinkedHashSet<String>();
    for (int round = 0; round < 400; round++) {
      Instant before = t;
      Instant h = hours.nextAllowed(t, reach.zone());
      if (!h.equals(t)) {
        note(why, round, "quiet hours (" + hours.from() + "–" + hours.until() + ")");
        t = h;
      }
      if (protocol.sendWindow().isPresent()) {
        Instant w = protocol.sendWindow().get().nextOpen(t, rules.zone());
        if (!w.equals(t)) {
          note(why, round, "the protocol's send window " + protocol.sendWindow().get());
          t = w;
        }
      }
      var date = t.atZone(rules.zone()).toLocalDate();
      if (rules.holidays().contains(date)) {
        note(why, round, "practice holiday " + date);
        t = date.plusDays(1).atStartOfDay(rules.zone()).toInstant();
      }
      Instant d = freeAt(t, outreach, DAY, rules.perDay());
      if (!d.equals(t)) {
        note(why, round, "frequency cap (" + rules.perDay() + " a day)");
        t = d;
      }
      Instant w = freeAt(t, outreach, WEEK, rules.perWeek());
      if (!w.equals(t)) {
        note(why, round, "frequency cap (" + rules.perWeek() + " a week)");
        t = w;
      }
      if (t.equals(before))
        return new Open(
            t, why.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", why)));
    }
    throw new IllegalStateException(
        "no minute within reach satisfies the send rules of protocol " + protocol.id());
  }

  /** The rules that moved the first request are the reasons; later moves only follow from them. */
  private static void note(java.util.Set<String> why, int round, String reason) {
    if (round == 0) why.add(reason);
  }

  /**
   * {@code t} when fewer than {@code cap} outreaches fall in {@code (t - span, t]}, else the first
   * instant when enough of them have aged out.
   */
  static Instant freeAt(Instant t, List<Instant> outreach, Duration span, int cap) {
    var inSpan =
        outreach.stream().filter(o -> o.isAfter(t.minus(span)) && !o.isAfter(t)).sorted().toList();
    if (inSpan.size() < cap) return t;
    return inSpan.get(inSpan.size() - cap).plus(span);
  }
}
