package org.careloop.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One decision in the making: the plan's state as the rules change it, and the effects and timeline
 * entries they produce. The rule classes ({@link Activation}, {@link Appointments}, {@link
 * PlanProgress}, {@link PatientReplies}, {@link DeliveryFallback}, {@link Touchpoints}, {@link
 * CareGapTiers}, {@link AgendaFiring}) read and write it; {@link #finish()} seals it.
 */
final class DecisionDraft {
  final Instant now;
  final Protocol protocol;
  final Contact contact;

  /** The patient's automated outreach across plans, with what this decision adds. */
  final List<Instant> outreach;

  final List<String> outreachKeys = new ArrayList<>();

  /** The sending rules' verdict for now; it only changes when this decision sends. */
  SendGate.@Nullable Open gate;

  PlanState state;
  final List<Effect> effects = new ArrayList<>();
  final List<TimelineEntry> timeline = new ArrayList<>();

  /** The keys of the {@link Mark}s this decision adds to the plan's {@link PlanState#done()}. */
  final TreeSet<String> done = new TreeSet<>();

  DecisionDraft(PlanState state, Instant now, Protocol protocol, Contact contact) {
    this.state = state;
    this.now = now;
    this.protocol = protocol;
    this.contact = contact;
    this.outreach = new ArrayList<>(contact.recentOutreach());
  }

  /** The patient's contact points may have changed since the last decision: use today's. */
  void refreshReach() {
    if (!state.reach().equals(contact.reach())) state = state.withReach(contact.reach());
  }

  void note(Instant at, String kind, String text) {
    timeline.add(new TimelineEntry(at, kind, text));
  }

  /** Whether the plan did {@code mark}, before or in this decision. */
  boolean isDone(Mark mark) {
    return state.done().contains(mark.key()) || done.contains(mark.key());
  }

  /** Records that the plan did {@code mark}. */
  void mark(Mark mark) {
    done.add(mark.key());
  }

  /** Forgets {@code mark}, so what it records can happen again. */
  void unmark(Mark mark) {
    done.remove(mark.key());
    if (state.done().contains(mark.key())) {
      var remaining = new TreeSet<>(state.done());
      remaining.remove(mark.key());
      state = state.withDone(remaining);
    }
  }

  void replace(Milestone m) {
    state = state.withMilestone(m);
  }

  /** The first minute from now every sending rule allows. */
  SendGate.Open openAt() {
    var open = gate;
    if (open == null) gate = open = SendGate.next(now, protocol, contact, outreach);
    return open;
  }

  boolean paused() {
    return state.pause().filter(p -> p.holds(now)).isPresent();
  }

  /**
   * A message due while the patient's allowed hours are closed waits for them: a step that came due
   * retroactively (an appointment cancelled) or work caught up after downtime must not text anyone
   * at 3 a.m.
   */
  boolean deferred(Agenda.Item item) {
    return item.sendsMessage(protocol)
        && item.skip().isEmpty()
        && !paused()
        && !openAt().at().equals(now)
        && Cadence.coveredBy(this, item).isEmpty();
  }

  /** The plan's state with this decision's marks, and when it next needs waking. */
  Decision finish() {
    if (!done.isEmpty()) {
      var all = new TreeSet<>(state.done());
      all.addAll(done);
      state = state.withDone(all);
      done.clear();
    }
    Optional<Instant> next =
        Agenda.of(state, protocol, contact.rules()).stream()
            .filter(i -> !isDone(new Mark.Fired(i.key())))
            .map(i -> deferred(i) && !i.at().isAfter(now) ? openAt().at() : i.at())
            .min(Instant::compareTo);
    return new Decision(state, effects, next, timeline, outreachKeys);
  }
}
