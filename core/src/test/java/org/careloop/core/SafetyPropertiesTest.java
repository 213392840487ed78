package org.careloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The core's safety rules over random histories of appointments, replies and clock moves: no
 * message outside the patient's allowed hours, never past the per-step cap, nothing after the plan
 * ends, and the same history always gives the same decisions.
 */
class SafetyPropertiesTest {
  static final Protocol P = TestProtocols.treatmentPlan();
  static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("America/New_York"),
          ZoneId.of("America/Los_Angeles"),
          ZoneId.of("Pacific/Honolulu"),
          ZoneId.of("Europe/Berlin"));

  /** One step of a random history. */
  record Step(int kind, int hours) {}

  @Provide
  Arbitrary<List<Step>> histories() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 9), Arbitraries.integers().between(1, 24 * 12))
        .as(Step::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  static PlanSim replay(List<Step> history, int zone, boolean sms, boolean email) {
    var reach = new Reach(sms, email, true, Optional.empty(), ZONES.get(zone));
    var order =
        new PlanOrder(
            "p",
            "pr",
            "pa",
            Instant.parse("2026-03-02T03:17:00Z"),
            List.of(
                new OrderedStep(
                    "a",
                    StepKind.LAB,
                    "a",
                    Optional.empty(),
                    Optional.of(Duration.ofDays(20)),
                    Optional.empty()),
                new OrderedStep(
                    "b",
                    StepKind.VISIT,
                    "b",
                    Optional.empty(),
                    Optional.of(Duration.ofDays(30)),
                    Optional.empty())),
            PlanFlags.NONE,
            reach);
    var sim = new PlanSim(order, Instant.parse("2026-03-02T03:17:00Z"), P);
    int appt = 0;
    for (var s : history) {
      sim.advance(Duration.ofHours(s.hours()));
      String id = "ap" + appt;
      switch (s.kind()) {
        case 0 ->
            sim.on(
                new PlanEvent.AppointmentBooked(
                    "ap" + (++appt), Optional.empty(), sim.now.plus(Duration.ofDays(3))));
        case 1 -> sim.on(new PlanEvent.AppointmentKept(id, Optional.empty(), sim.now));
        case 2, 3 -> sim.on(new PlanEvent.AppointmentMissed(id, Optional.empty(), sim.now));
        case 4 -> sim.on(new PlanEvent.AppointmentCancelled(id, Optional.empty(), sim.now));
        case 5 ->
            sim.on(
                new PlanEvent.ReplyReceived(
                    Channel.SMS, PlanEvent.ReplyKind.POSITIVE, Optional.empty(), sim.now));
        case 6 ->
            sim.state
                .current()
                .ifPresent(m -> sim.on(new PlanEvent.StepCompleted(m.key(), sim.now)));
        case 7 -> {
          if (s.hours() % 17 == 0) sim.on(new PlanEvent.PlanEnded("revoked", sim.now));
        }
        default -> {}
      }
    }
    sim.advance(Duration.ofDays(60));
    return sim;
  }

  @Property(tries = 2000)
  void noMessageOutsideAllowedHours_noneOverTheCap_noneAfterTheEnd(
      @ForAll("histories") List<Step> history,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 3) int zone,
      @ForAll boolean sms,
      @ForAll boolean email) {
    var sim = replay(history, zone, sms, email);
    var endedAt = new ArrayList<Instant>();
    for (int i = 0; i < sim.effects.size(); i++) {
      if (sim.effects.get(i) instanceof Effect.SendTouchpoint t) {
        Instant at = sim.effectTimes.get(i);
        assertThat(P.allowedHours().allows(at, ZONES.get(zone)))
            .as("message %s at %s", t.key(), at)
            .isTrue();
        assertThat(t.channel() == Channel.SMS ? sms : email)
            .as("sent on a channel the patient lacks")
            .isTrue();
      }
    }
    for (var m : sim.state.milestones())
      assertThat(m.automatedTouches()).isLessThanOrEqualTo(P.touchCap());
    // Nothing at all is decided once the plan has ended or completed.
    sim.timeline.stream()
        .filter(e -> e.text().contains("follow-up ends"))
        .findFirst()
        .ifPresent(e -> endedAt.add(e.at()));
    if (!endedAt.isEmpty()) {
      for (int i = 0; i < sim.effects.size(); i++) {
        assertThat(sim.effectTimes.get(i))
            .as("effect %s after the plan ended", sim.effects.get(i).key())
            .isBeforeOrEqualTo(endedAt.get(0));
      }
    }
    assertThat(sim.effects.stream().map(Effect::key).distinct().count())
        .as("an effect key repeated")
        .isEqualTo(sim.effects.size());
  }

  @Property(tries = 300)
  void sameHistory_sameDecisions(@ForAll("histories") List<Step> history) {
    var a = replay(history, 1, true, true);
    var b = replay(history, 1, true, true);
    assertThat(a.effects).isEqualTo(b.effects);
    assertThat(a.state).isEqualTo(b.state);
  }
}
