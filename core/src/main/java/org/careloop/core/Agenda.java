package org.careloop.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The plan's timers, derived from its state: every wake-up is computed, never remembered
 * separately, so state and timers cannot drift apart. An item fires once: its key then joins {@link
 * PlanState#done()}.
 */
final class Agenda {

  enum Kind {
    INTAKE,
    BETWEEN_STEPS,
    MISSED_OUTREACH,
    MISSED_NO_REPLY,
    REBOOK_CHECK,
    /** A booked visit's time passed with no outcome: a person confirms it. */
    OUTCOME_CHECK,
    GAP_TIER,
    /** The protocol's time is up: the plan ends as expired. */
    EXPIRE
  }

  /**
   * @param at when it fires (for messages: already moved into the allowed hours)
   * @param touch the touch rule, for BETWEEN_STEPS
   * @param tier the tier number (1-4), for GAP_TIER
   * @param skip why the item is passed over instead of fired, if it is
   */
  record Item(
      Instant at,
      String key,
      Kind kind,
      String milestoneKey,
      Optional<Protocol.Touch> touch,
      int tier,
      Optional<String> skip) {

    /** Whether firing this item sends the patient a message (and so needs allowed hours). */
    boolean sendsMessage(Protocol protocol) {
      return switch (kind) {
        case INTAKE, MISSED_OUTREACH -> true;
        case BETWEEN_STEPS -> touch.map(Protocol.Touch::sendsMessage).orElse(true);
        case GAP_TIER -> protocol.gapAction(tier) instanceof Protocol.GapAction.Message;
        case MISSED_NO_REPLY, REBOOK_CHECK, OUTCOME_CHECK, EXPIRE -> false;
      };
    }
  }

  /**
   * The outcome check of the step's current booking, named by the visit's time: never by the
   * source's appointment id, which keys derived from it would carry into plain columns.
   */
  static String outcomeKey(Milestone m) {
    return "outcome:" + m.key() + ":" + m.appointmentStart().map(Instant::toEpochMilli).orElse(0L);
  }

  /**
   * The close of business of the {@code days}-th business day (a working day of the practice's
   * week, not a holiday) after {@code at}, in the patient's zone: the source has had that many
   * whole business days to send the visit's outcome.
   */
  static Instant businessDaysAfter(Instant at, int days, java.time.ZoneId zone, SendRules rules) {
    var t = at.atZone(zone);
    for (int left = days; left > 0; ) {
      t = t.plusDays(1);
      if (rules.isBusinessDay(t.toLocalDate())) left--;
    }
    return t.toLocalDate().atTime(rules.closeOfBusiness()).atZone(zone).toInstant();
  }

  static final Comparator<Item> ORDER = Comparator.comparing(Item::at).thenComparing(Item::key);

  private Agenda() {}

  /** The plan's agenda; {@code rules} carry the practice's calendar, for the business days. */
  static List<Item> of(PlanState state, Protocol protocol, SendRules rules) {
    var items = new ArrayList<Item>();
    if (state.status() != PlanStatus.ACTIVE) return items;
    var zone = state.reach().zone();
    var hours = protocol.allowedHours();
    var current = state.current();

    current
        .filter(c -> protocol.intake().isPresent())
        .ifPresent(c ->
            items.add(
                new Item(
                    hours.nextAllowed(state.activatedAt(), zone),
                    "intake",
                    Kind.INTAKE,
                    c.key(),
                    Optional.empty(),
                    0,
                    Optional.empty())));

    // An accepted treatment watched until done is past the messages about accepting it.
    boolean accepted = protocol.afterAcceptance().isPresent() && state.acceptance().isPresent();
    current
        .filter(
            c -> c.status() == MilestoneStatus.PENDING && c.cancelledAt().isEmpty() && !accepted)
        .ifPresent(c -> {
          Optional<Instant> from =
              protocol.touchesFromFirstMessage()
                  ? state.firstMessageAt()
                  : Optional.of(state.lastProgressAt());
          // Counted from the first message: nothing is scheduled before it goes out.
          if (from.isEmpty()) return;
          Instant base = from.get();
          // A plan that arrived late (an export days after the plan was presented) catches up
          // with the one message that matters now, the latest of those already past, and with
          // any staff call, which always happens; the other past messages are skipped.
          Optional<Protocol.Touch> catchUp = Optional.empty();
          for (var touch : protocol.betweenSteps()) {
            Instant raw = base.plus(touch.after());
            if (!touch.beforeDue()
                && touch.sendsMessage()
                && raw.isBefore(state.activatedAt())
                && !raw.isAfter(c.dueAt())) catchUp = Optional.of(touch);
          }
          for (var touch : protocol.betweenSteps()) {
            Instant raw =
                touch.beforeDue() ? c.dueAt().minus(touch.after()) : base.plus(touch.after());
            // A recall touch whose time passed before the plan started is not part of it.
            if (touch.beforeDue() && raw.isBefore(state.activatedAt())) continue;
            // Only while the next step is still ahead: once it is past due, the care-gap tiers own
            // it.
            if (raw.isAfter(c.dueAt())) continue;
            Optional<String> skip = Optional.empty();
            if (raw.isBefore(state.activatedAt())) {
              if (!touch.sendsMessage() || catchUp.filter(touch::equals).isPresent())
                raw = state.activatedAt();
              else skip = Optional.of("due before careloop tracked this plan");
            }
            items.add(
                new Item(
                    touch.sendsMessage() ? hours.nextAllowed(raw, zone) : raw,
                    "checkin:" + c.key() + ":" + touch.offsetKey(),
                    Kind.BETWEEN_STEPS,
                    c.key(),
                    Optional.of(touch),
                    0,
                    skip));
          }
        });

    for (var m : state.milestones()) {
      if (m.status().isClosed()) continue;
      if (m.missedAt().isPresent() && m.status() != MilestoneStatus.SCHEDULED) {
        Instant missed = m.missedAt().get();
        items.add(
            new Item(
                hours.nextAllowed(missed, zone),
                "missed-outreach:" + m.key() + ":" + m.misses(),
                Kind.MISSED_OUTREACH,
                m.key(),
                Optional.empty(),
                0,
                Optional.empty()));
        // The wait for a reply counts from when the outreach went out (the next morning, for a
        // miss at night), not from the miss; until the outreach has fired there is nothing to
        // wait on. One that could not be sent counts from the miss.
        String outreach = "missed-outreach:" + m.key() + ":" + m.misses();
        if (state.done().contains(new Mark.Fired(outreach).key())) {
          Instant from = m.lastTouchAt().filter(t -> !t.isBefore(missed)).orElse(missed);
          items.add(
              new Item(
                  from.plus(protocol.missedAppointment().replyWindow()),
                  "missed-no-reply:" + m.key() + ":" + m.misses(),
                  Kind.MISSED_NO_REPLY,
                  m.key(),
                  Optional.empty(),
                  0,
                  Optional.empty()));
        }
      }
      if (m.status() == MilestoneStatus.PENDING && m.cancelledAt().isPresent()) {
        Instant cancelled = m.cancelledAt().get();
        items.add(
            new Item(
                cancelled.plus(protocol.missedAppointment().rebookGrace()),
                "rebook-check:" + m.key() + ":" + cancelled.toEpochMilli(),
                Kind.REBOOK_CHECK,
                m.key(),
                Optional.empty(),
                0,
                Optional.empty()));
      }
      if (m.status() != MilestoneStatus.SCHEDULED) {
        addGapTiers(items, state, protocol, m, m.attentionSince());
      } else if (m.appointmentStart().isPresent()) {
        // The outcome watch: at the end of the protocol's grace in business days after the visit,
        // a person is asked to confirm it; still unknown after that, the step enters the care-gap
        // tiers.
        Instant check =
            businessDaysAfter(
                m.appointmentStart().get(),
                protocol.outcomeCheck().graceBusinessDays(),
                zone,
                rules);
        String key = outcomeKey(m);
        items.add(
            new Item(
                check, key, Kind.OUTCOME_CHECK, m.key(), Optional.empty(), 0, Optional.empty()));
        if (state.done().contains(new Mark.Fired(key).key()))
          addGapTiers(
              items,
              state,
              protocol,
              m,
              check.isAfter(m.attentionSince()) ? check : m.attentionSince());
      }
    }
    // A booked step waits for its appointment: only a step still to book expires.
    if (protocol.expireAfter().isPresent()
        && !accepted
        && current.filter(c -> c.status() != MilestoneStatus.SCHEDULED).isPresent()) {
      items.add(
          new Item(
              state.anchorAt().plus(protocol.expireAfter().get()),
              "expire",
              Kind.EXPIRE,
              current.get().key(),
              Optional.empty(),
              0,
              Optional.empty()));
    }
    items.sort(ORDER);
    return items;
  }

  /**
   * Gap tiers that came due before the step needed attention (plan imported late, appointment
   * missed after the due date) are superseded: only the highest of them acts, at once.
   */
  private static void addGapTiers(
      List<Item> items, PlanState state, Protocol protocol, Milestone m, Instant since) {
    Instant floor = since.isAfter(state.activatedAt()) ? since : state.activatedAt();
    var tiers = protocol.gapTiers();
    int highestPast = 0;
    for (int i = 0; i < tiers.size(); i++) {
      if (!m.dueAt().plus(Duration.ofDays(tiers.get(i))).isAfter(floor)) highestPast = i + 1;
    }
    for (int i = 0; i < tiers.size(); i++) {
      int tier = i + 1;
      Instant raw = m.dueAt().plus(Duration.ofDays(tiers.get(i)));
      Instant at = raw.isAfter(floor) ? raw : floor;
      if (protocol.gapAction(tier) instanceof Protocol.GapAction.Message)
        at = protocol.allowedHours().nextAllowed(at, state.reach().zone());
      Optional<String> skip =
          tier < highestPast
              ? Optional.of("superseded: tier " + highestPast + " already applies")
              : Optional.empty();
      items.add(
          new Item(
              at,
              "gap:" + m.key() + ":t" + tier,
              Kind.GAP_TIER,
              m.key(),
              Optional.empty(),
              tier,
              skip));
    }
  }
}
