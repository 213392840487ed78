package org.careloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The messaging rules over random histories of one patient with up to three plans: events from the
 * EHR, replies, STOP and START, failed deliveries and clock moves. Whatever happens, nothing goes
 * out on a channel the patient opted out of, outside their allowed hours (narrowed by state law),
 * outside the protocol's send window, on a practice holiday, over the frequency caps across plans,
 * while a reply waits for a coordinator, or as marketing without consent.
 */
class MessagingRulesPropertiesTest {
  static final Instant START = Instant.parse("2026-03-02T03:17:00Z");
  static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("America/New_York"),
          ZoneId.of("America/Chicago"),
          ZoneId.of("America/Los_Angeles"),
          ZoneId.of("Pacific/Honolulu"));
  static final SendWindow LATE_MORNINGS =
      new SendWindow(SendWindow.WEEKDAYS, LocalTime.of(10, 0), LocalTime.of(14, 0));

  /**
   * One step of a history: what happens, after how many hours, to which plan.
   *
   * <p>Kinds: 0 booked, 1 kept, 2 missed, 3 cancelled, 4 BOOK reply, 5 free-text reply, 6
   * coordinator resumes, 7 STOP, 8 START, 9 email unsubscribe, 10 SMS failed for good (invalid
   * number), 11 step completed, 12 email re-subscribe, 13 marketing consent given, 14 nothing.
   */
  record Step(int kind, int hours, int plan) {}

  /**
   * The settings of one run: the patient's zone, state and contact points, the practice's caps and
   * holidays, and whether the protocol has a send window.
   */
  record Setup(
      int zone,
      boolean florida,
      boolean sms,
      boolean email,
      int perDay,
      int perWeek,
      boolean window,
      int holidayOffset,
      int plans) {}

  @Provide
  Arbitrary<List<Step>> histories() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 14),
            Arbitraries.integers().between(1, 24 * 9),
            Arbitraries.integers().between(0, 2))
        .as(Step::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(30);
  }

  @Provide
  Arbitrary<Setup> setups() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2 * ZONES.size() - 1),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(1, 2),
            Arbitraries.integers().between(2, 5),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 40),
            Arbitraries.integers().between(1, 3))
        .as((place, sms, email, perDay, perWeek, window, holiday, plans) ->
            new Setup(
                place % ZONES.size(),
                place >= ZONES.size(),
                sms,
                email,
                perDay,
                perWeek,
                window,
                holiday,
                plans));
  }

  /** The treatment-plan protocol with a marketing touch on day 10, and the window if asked. */
  static Protocol protocol(boolean window) {
    var base = TestProtocols.treatmentPlan();
    var touches = new ArrayList<>(base.betweenSteps());
    touches.add(new Protocol.Touch(10, Set.of(Channel.SMS), Effect.Template.FINANCING_OFFER));
    touches.sort(java.util.Comparator.comparing(Protocol.Touch::after));
    return base.withTouches(touches)
        .withSendWindow(window ? Optional.of(LATE_MORNINGS) : Optional.empty());
  }

  static PlanOrder order(int i, Reach reach) {
    return new PlanOrder(
        "plan" + i,
        "pr",
        "pa",
        START.plus(Duration.ofHours(5L * i)),
        List.of(
            new OrderedStep(
                "a",
                StepKind.LAB,
                "a",
                Optional.empty(),
                Optional.of(Duration.ofDays(12 + 9L * i)),
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
  }

  /** A run of one history: the plans, the patient, and every rule broken on the way. */
  static final class Run {
    final Setup setup;
    final Protocol protocol;
    final PlanSim.Patient patient;
    final List<PlanSim> plans = new ArrayList<>();
    final Set<Integer> awaitingCoordinator = new HashSet<>();
    final List<String> broken = new ArrayList<>();
    final List<Instant> sent = new ArrayList<>();
    int messages;

    Run(Setup setup) {
      this.setup = setup;
      this.protocol = protocol(setup.window());
      var zone = ZONES.get(setup.zone());
      var reach =
          new Reach(
              setup.sms(),
              setup.email(),
              true,
              Optional.empty(),
              zone,
              setup.florida() ? Optional.of("FL") : Optional.empty());
      patient = new PlanSim.Patient(reach);
      var firstHoliday = LocalDate.of(2026, 3, 2).plusDays(setup.holidayOffset());
      patient.rules =
          new SendRules(
              setup.perDay(),
              Math.max(setup.perWeek(), setup.perDay()),
              Set.of(firstHoliday, firstHoliday.plusDays(1), firstHoliday.plusDays(30)),
              ZoneId.of("America/New_York"));
      for (int i = 0; i < setup.plans(); i++) {
        int index = i;
        plans.add(
            new PlanSim(
                order(i, reach),
                START.plus(Duration.ofMinutes(i)),
                protocol,
                patient,
                (at, d) -> check(index, at, d)));
      }
    }

    /** Every message of a decision, checked against the patient as they are at that moment. */
    void check(int plan, Instant at, Decision d) {
      var rules = patient.rules;
      var hours = protocol.allowedHours().in(patient.reach.region());
      for (var e : d.effects()) {
        if (!(e instanceof Effect.SendTouchpoint t)) continue;
        messages++;
        if (patient.optedOut.contains(t.channel()))
          broken.add(t.key() + " by " + t.channel() + " after opt-out, at " + at);
        if (!patient.reach.has(t.channel()))
          broken.add(t.key() + " on a channel the patient lacks");
        if (!hours.allows(at, patient.reach.zone()))
          broken.add(t.key() + " outside allowed hours " + hours + " at " + at);
        if (protocol.sendWindow().isPresent()
            && !protocol.sendWindow().get().nextOpen(at, rules.zone()).equals(at))
          broken.add(t.key() + " outside the send window at " + at);
        if (rules.holidays().contains(at.atZone(rules.zone()).toLocalDate()))
          broken.add(t.key() + " on a practice holiday at " + at);
        if (awaitingCoordinator.contains(plan))
          broken.add(t.key() + " while a reply awaits a coordinator, at " + at);
        if (t.template().purpose() == Effect.Purpose.MARKETING && !patient.marketingConsent)
          broken.add(t.key() + ": marketing without consent");
      }
      for (int i = 0; i < d.outreach().size(); i++) sent.add(at);
    }

    /** Runs every plan's wake-ups up to {@code to}, in time order across plans. */
    void advanceTo(Instant to) {
      while (true) {
        PlanSim next = null;
        for (var p : plans) {
          if (p.wakeup.isPresent()
              && !p.wakeup.get().isAfter(to)
              && (next == null || p.wakeup.get().isBefore(next.wakeup.get()))) next = p;
        }
        if (next == null) break;
        next.wakeIfDue(to);
      }
      for (var p : plans) p.now = to;
    }

    void play(List<Step> history) {
      Instant now = START.plus(Duration.ofMinutes(5));
      int appointment = 0;
      for (var s : history) {
        now = now.plus(Duration.ofHours(s.hours()));
        advanceTo(now);
        int i = s.plan() % plans.size();
        var sim = plans.get(i);
        String id = "ap" + appointment;
        switch (s.kind()) {
          case 0 ->
              sim.on(
                  new PlanEvent.AppointmentBooked(
                      "ap" + (++appointment), Optional.empty(), now.plus(Duration.ofDays(3))));
          case 1 -> sim.on(new PlanEvent.AppointmentKept(id, Optional.empty(), now));
          case 2 -> sim.on(new PlanEvent.AppointmentMissed(id, Optional.empty(), now));
          case 3 -> sim.on(new PlanEvent.AppointmentCancelled(id, Optional.empty(), now));
          case 4 ->
              sim.on(
                  new PlanEvent.ReplyReceived(
                      Channel.SMS, PlanEvent.ReplyKind.POSITIVE, Optional.empty(), now));
          case 5 -> {
            if (sim.state.status() == PlanStatus.ACTIVE) awaitingCoordinator.add(i);
            sim.on(
                new PlanEvent.ReplyReceived(
                    Channel.SMS, PlanEvent.ReplyKind.FREE_TEXT, Optional.of("who is this"), now));
          }
          case 6 -> {
            awaitingCoordinator.remove(i);
            sim.on(new PlanEvent.SequenceResumed("coordinator", now));
          }
          case 7 -> patient.optedOut.add(Channel.SMS);
          case 8 -> patient.optedOut.remove(Channel.SMS);
          case 9 -> patient.optedOut.add(Channel.EMAIL);
          case 10 -> failLastSms(sim, now);
          case 11 -> {
            var at = now;
            sim.state.current().ifPresent(m -> sim.on(new PlanEvent.StepCompleted(m.key(), at)));
          }
          case 12 -> patient.optedOut.remove(Channel.EMAIL);
          case 13 -> patient.marketingConsent = true;
          default -> {}
        }
      }
      advanceTo(now.plus(Duration.ofDays(60)));
    }

    /** The number turns out invalid: its last SMS fails for good and the number is dropped. */
    private void failLastSms(PlanSim sim, Instant now) {
      for (int k = sim.effects.size() - 1; k >= 0; k--) {
        if (sim.effects.get(k) instanceof Effect.SendTouchpoint t && t.channel() == Channel.SMS) {
          var r = patient.reach;
          patient.reach =
              new Reach(false, r.email(), r.phone(), r.preferred(), r.zone(), r.region());
          // A message that never arrived does not count against the caps.
          patient.outreach.remove(sim.effectTimes.get(k));
          sent.remove(sim.effectTimes.get(k));
          sim.on(new PlanEvent.DeliveryFailed(t.key(), Channel.SMS, "invalid number", now));
          return;
        }
      }
    }

    /** The caps, over every outreach that reached the patient, across all plans. */
    void checkCaps() {
      var times = sent.stream().sorted().toList();
      for (var t : times) {
        long day =
            times.stream()
                .filter(o -> o.isAfter(t.minus(Duration.ofDays(1))) && !o.isAfter(t))
                .count();
        long week =
            times.stream()
                .filter(o -> o.isAfter(t.minus(Duration.ofDays(7))) && !o.isAfter(t))
                .count();
        if (day > patient.rules.perDay())
          broken.add(
              day + " outreaches in the 24 h up to " + t + " (cap " + patient.rules.perDay() + ")");
        if (week > patient.rules.perWeek())
          broken.add(
              week
                  + " outreaches in the 7 days up to "
                  + t
                  + " (cap "
                  + patient.rules.perWeek()
                  + ")");
      }
    }
  }

  @Property(tries = 10_000)
  void noMessageAfterOptOut_outsideHoursWindowOrHolidays_overTheCaps_orWhilePaused(
      @ForAll("setups") Setup setup, @ForAll("histories") List<Step> history) {
    var run = new Run(setup);
    run.play(history);
    run.checkCaps();
    assertThat(run.broken).as("rules broken").isEmpty();
  }

  /** The runs are not vacuous: messages do go out, and the rules do hold some back. */
  @Example
  void typicalRun_sendsMessages_andDefersSome() {
    var run = new Run(new Setup(0, true, true, true, 1, 3, true, 40, 3));
    run.play(List.of(new Step(14, 24 * 40, 0)));
    assertThat(run.messages).isGreaterThan(5);
    assertThat(run.plans.stream().flatMap(p -> p.timeline.stream()))
        .anyMatch(e -> e.kind().equals("deferred") && e.text().contains("frequency cap"))
        .anyMatch(e -> e.kind().equals("deferred") && e.text().contains("send window"));
    assertThat(run.broken).isEmpty();
  }
}
