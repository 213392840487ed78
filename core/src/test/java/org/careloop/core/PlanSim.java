package org.careloop.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Drives one plan through the decider on a settable clock, the way the engine does. */
final class PlanSim {
  final Protocol protocol;
  Instant now;
  PlanState state;
  final List<Effect> effects = new ArrayList<>();
  final List<TimelineEntry> timeline = new ArrayList<>();
  final List<Instant> effectTimes = new ArrayList<>();
  java.util.Optional<Instant> wakeup;

  PlanSim(PlanOrder order, Instant now, Protocol protocol) {
    this.protocol = protocol;
    this.now = now;
    take(PlanDecider.start(order, now, protocol));
  }

  private void take(Decision d) {
    state = d.state();
    effects.addAll(d.effects());
    for (int i = 0; i < d.effects().size(); i++) effectTimes.add(now);
    timeline.addAll(d.timeline());
    wakeup = d.nextWakeupAt();
  }

  PlanSim on(PlanEvent event) {
    take(PlanDecider.decide(state, event, now, protocol));
    return this;
  }

  /** Runs every wake-up up to {@code to}, each at its own time, then sets the clock to it. */
  PlanSim advanceTo(Instant to) {
    while (wakeup.isPresent() && !wakeup.get().isAfter(to)) {
      now = wakeup.get();
      take(PlanDecider.decide(state, new PlanEvent.TimerFired(), now, protocol));
    }
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
