package org.careloop.server;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.careloop.app.CaseNote;
import org.careloop.app.Person;
import org.careloop.app.Reads;
import org.careloop.app.casework.CaseChoices;
import org.careloop.app.casework.Casework;
import org.careloop.server.DemoGenerator.Happening;

/**
 * The demo practice's people at work: twice each business day every person works the open cases of
 * their role, most urgent first, as far as a session allows: calls that reach the patient book the
 * step (and the EHR later says whether the visit was kept), calls that do not are documented, a
 * patient unreachable after three failed calls is closed as such, replies are answered and visit
 * outcomes confirmed from the chart. So on the demo's day the worklist looks worked.
 */
final class DemoStaff {
  /** When each business day the people sit down to their cases, in the practice's zone. */
  static final List<LocalTime> SESSIONS = List.of(LocalTime.of(10, 0), LocalTime.of(15, 0));

  /** Cases one person works in a session. */
  static final int CASES_PER_SESSION = 12;

  /** Of the calls about booking, the share that reaches the patient and books. */
  static final double REACHED = 0.6;

  private static final Set<String> ABOUT_BOOKING =
      Set.of("NOT_BOOKED", "CALL_PATIENT", "MISSED_APPOINTMENT", "BOOKING_REQUEST");

  private final Careloop careloop;
  private final Random rnd;
  private final ZoneId zone;
  private Instant nextSession;

  DemoStaff(Careloop careloop, long seed, ZoneId zone, Instant from) {
    this.careloop = careloop;
    this.rnd = new Random(seed * 31 + 7);
    this.zone = zone;
    this.nextSession = sessionAfter(from);
  }

  /** The next time the people sit down to their cases. */
  Instant nextSession() {
    return nextSession;
  }

  /** The session after {@code at}: a business day's 10:00 or 15:00 in the practice's zone. */
  Instant sessionAfter(Instant at) {
    var day = LocalDate.ofInstant(at, zone);
    while (true) {
      if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY)
        for (var t : SESSIONS) {
          var s = day.atTime(t).atZone(zone).toInstant();
          if (s.isAfter(at)) return s;
        }
      day = day.plusDays(1);
    }
  }

  /**
   * Works the session due now (the clock is at it), every practice's cases.
   *
   * @return what the EHR reports later of the visits booked in it
   */
  List<Happening> work() {
    Instant now = nextSession;
    nextSession = sessionAfter(now);
    var later = new ArrayList<Happening>();
    for (var practiceId : careloop.store().inTransaction(tx -> tx.practiceIds())) {
      var people = careloop.administration().people(practiceId);
      if (people.isEmpty()) continue;
      var worked = new HashMap<String, Integer>();
      var cases =
          careloop.read().tasks(Optional.of(practiceId)).stream()
              .sorted(Comparator.comparing(Reads.TaskRow::respondBy))
              .toList();
      // As at a busy desk: what falls due by this day's close (either practice's, as the clock
      // in the practice's zone reads 18:00) or before the next sitting; the rest waits for its day.
      Instant dueBy = LocalDate.ofInstant(now, zone).atTime(18, 0).atZone(zone).toInstant();
      if (nextSession.isAfter(dueBy)) dueBy = nextSession;
      for (var c : cases) {
        if (c.respondBy().isAfter(dueBy)) continue;
        var by = person(people, c);
        if (worked.merge(by.username(), 1, Integer::sum) > CASES_PER_SESSION) continue;
        try {
          workCase(by, c, now, later);
        } catch (IllegalArgumentException | Casework.NotYours | Casework.NotAllowed e) {
          // Closed meanwhile (a booking ends the step's other cases), or not this person's to
          // work: it stays for the next session, as at a real desk.
        }
      }
    }
    return later;
  }

  private void workCase(Person by, Reads.TaskRow c, Instant now, List<Happening> later) {
    var workspace = careloop.workspace();
    if (ABOUT_BOOKING.contains(c.need())) {
      if (rnd.nextDouble() < REACHED) {
        var visit = visitAfter(now);
        workspace.recordBooking(by, c.id(), visit, now);
        c.milestoneKey()
            .ifPresent(step ->
                visitReported(
                        c.planId(), step, visit, rnd.nextDouble() < 0.85 ? "fulfilled" : "noshow")
                    .ifPresent(later::add));
        return;
      }
      String outcome = rnd.nextBoolean() ? "no answer" : "left voicemail";
      long failed =
          careloop
              .store()
              .inTransaction(tx -> tx.callsWithOutcome(c.id(), CaseChoices.FAILED_CALLS));
      boolean giveUp = failed + 1 >= CaseChoices.UNREACHABLE_AFTER;
      workspace.document(
          by,
          c.id(),
          note(
              now,
              by,
              Optional.of(outcome),
              giveUp ? "unreachable after three calls" : "call again",
              giveUp ? "letter sent" : "call again tomorrow"),
          giveUp ? Optional.of("unreachable") : Optional.empty(),
          now);
      return;
    }
    if (c.need().equals("CONFIRM_OUTCOME")) {
      // The chart says whether the visit was kept: the EHR sends it, which ends the case.
      var step = c.milestoneKey();
      var start =
          careloop
              .read()
              .plan(c.planId())
              .flatMap(p -> step.flatMap(k -> p.state().milestone(k)))
              .flatMap(m -> m.appointmentStart());
      if (step.isPresent() && start.isPresent()) {
        var kept = visitReported(c.planId(), step.get(), start.get(), "fulfilled");
        if (kept.isPresent()) {
          careloop.importer().importBatch(kept.get().batch(), now);
          return;
        }
      }
    }
    workspace.document(
        by,
        c.id(),
        note(now, by, Optional.of("reached"), "handled", "none"),
        Optional.of("completed"),
        now);
  }

  /** A visit on a business day 3 to 10 days on, between 09:00 and 16:00. */
  private Instant visitAfter(Instant now) {
    var day = LocalDate.ofInstant(now, zone).plusDays(3 + rnd.nextInt(8));
    while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY)
      day = day.plusDays(1);
    return day.atTime(9 + rnd.nextInt(8), rnd.nextInt(4) * 15).atZone(zone).toInstant();
  }

  /** What the EHR sends about a plan's visit an hour after it, as its own appointment. */
  private Optional<Happening> visitReported(
      String planId, String step, Instant visit, String status) {
    var plan = careloop.read().plan(planId);
    if (plan.isEmpty()) return Optional.empty();
    var state = plan.get().state();
    var patient = careloop.store().inTransaction(tx -> tx.patient(state.patientId()));
    if (patient.isEmpty()) return Optional.empty();
    String appt = "demo:appointment:staff-" + planId + "-" + step + "-" + visit.getEpochSecond();
    return Optional.of(
        DemoGenerator.appointment(
            state.practiceId(),
            visit.plus(Duration.ofHours(1)),
            patient.get().sourceKey(),
            plan.get().plan().sourceKey(),
            appt,
            step,
            status,
            visit));
  }

  private static CaseNote note(
      Instant now, Person by, Optional<String> outcome, String status, String next) {
    return new CaseNote(
        now,
        by.id(),
        "call",
        Optional.of(status),
        Optional.empty(),
        Optional.empty(),
        Optional.of(next),
        Optional.empty(),
        false,
        outcome);
  }

  /** Who works a case: the first person in its owner's role, else the first coordinator. */
  private static Person person(List<Person> people, Reads.TaskRow c) {
    return people.stream()
        .filter(p -> c.owner().filter(p.role()::equals).isPresent())
        .findFirst()
        .or(() -> people.stream().filter(p -> p.role().equals("coordinator")).findFirst())
        .orElse(people.get(0));
  }
}
