package org.careloop.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Drives one plan through the decider on a settable clock, the way the engine does. */
final class PlanSim {

  /**
   * What the application keeps per patient across plans: contact points, opt-outs and the outreach
   * ledger. Plans of one patient share one.
   */
  static final class Patient {
    Reach reach;
    SendRules rules;
    final Set<Channel> optedOut = new HashSet<>();
    final List<Instant> outreach = new ArrayList<>();
    boolean marketingConsent;

    Patient(Reach reach) {
      this.reach = reach;
      this.rules = SendRules.defaults(reach.zone());
    }

    Contact contact() {
      return new Contact(reach, optedOut, outreach, marketingConsent, rules);
    }
  }

  final Protocol protocol;
  final Patient patient;
  Instant now;
  PlanState state;
  final List<Effect> effects = new ArrayList<>();
  final List<TimelineEntry> timeline = new ArrayList<>();
  final List<Instant> effectTimes = new ArrayList<>();
  Optional<Instant> wakeup;

  /** Sees every decision as it is made, with the clock at that moment. */
  java.util.function.BiConsumer<Instant, Decision> observer = (at, d) -> {};

  PlanSim(PlanOrder order, Instant now, Protocol protocol) {
    this(order, now, protocol, new Patient(order.reach()));
  }

  PlanSim(PlanOrder order, Instant now, Protocol protocol, Patient patient) {
    this(order, now, protocol, patient, (at, d) -> {});
  }

  PlanSim(
      PlanOrder order,
      Instant now,
      Protocol protocol,
      Patient patient,
      java.util.function.BiConsumer<Instant, Decision> observer) {
    this.protocol = protocol;
    this.patient = patient;
    this.now = now;
    this.observer = observer;
    take(PlanDecider.start(order, now, protocol, patient.contact()));
  }

  private void take(Decision d) {
    observer.accept(now, d);
    state = d.state();
    effects.addAll(d.effects());
    for (int i = 0; i < d.effects().size(); i++) effectTimes.add(now);
    timeline.addAll(d.timeline());
    for (int i = 0; i < d.outreach().size(); i++) patient.outreach.add(now);
    wakeup = d.nextWakeupAt();
  }

  PlanSim on(PlanEvent event) {
    take(PlanDecider.decide(state, event, now, protocol, patient.contact()));
    return this;
  }

  /** Runs the wake-up if it is due by {@code to}; returns whether it ran. */
  boolean wakeIfDue(Instant to) {
    if (wakeup.isEmpty() || wakeup.get().isAfter(to)) return false;
    now = wakeup.get();
    take(PlanDecider.decide(state, new PlanEvent.TimerFired(), now, protocol, patient.contact()));
    return true;
  }

  /** Runs every wake-up up to {@code to}, each at its own time, then sets the clock to it. */
  PlanSim advanceTo(Instant to) {
    while (wakeIfDue(to)) {}
    now = to;
    return this;
  }

  PlanSim advance(Duration by) {
    return advanceTo(now.plus(by));
  }

  <T extends Effect> List<T> effects(Class<T> type) {
    return effects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<String> keys() {
    return effects.stream().map(Effect::key).toList();
  }
}
