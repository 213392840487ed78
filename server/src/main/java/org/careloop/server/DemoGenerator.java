package org.careloop.server;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import org.careloop.app.PatientRecord;
import org.careloop.app.Practice;
import org.careloop.app.intake.ImportBatch;
import org.careloop.core.Channel;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;

/**
 * A sample practice, generated: patients with realistic plans and appointment histories, played
 * through the real engine on a simulated clock. The same seed and date give the same practice.
 * Names are drawn from short lists; phone numbers are in the fictional 555-01xx range.
 */
public final class DemoGenerator {
  static final ZoneId ZONE = ZoneId.of("America/New_York");
  static final Practice PRACTICE =
      new Practice(
          Careloop.DEFAULT_PRACTICE,
          "Riverside Family Medicine",
          ZONE,
          Optional.of("+16175550100"),
          Optional.of("https://riverside.example/book"));

  private static final String[] FIRST = {
    "Sarah", "James", "Maria", "Robert", "Linda", "Michael", "Aisha", "David", "Elena", "Thomas",
    "Grace", "Daniel", "Priya", "Kevin", "Rosa", "Samuel", "Mei", "Anthony", "Fatima", "Brian",
    "Olivia", "Jorge", "Hannah", "Victor", "Nora"
  };
  private static final String[] LAST = {
    "Martinez",
    "Nguyen",
    "Johnson",
    "Okafor",
    "Smith",
    "Kowalski",
    "Haddad",
    "Brown",
    "Rossi",
    "Chen",
    "Garcia",
    "Patel",
    "Williams",
    "Schmidt",
    "Silva",
    "Cohen",
    "Murphy",
    "Tanaka",
    "Lopez",
    "Ibrahim"
  };

  /** A plan template: steps with kind, description and days after the previous step. */
  private record Template(String name, List<Step> steps) {
    Template(String name, Step... steps) {
      this(name, List.of(steps));
    }
  }

  private record Step(StepKind kind, String description, int days) {}

  private static final List<Template> TEMPLATES =
      List.of(
          new Template(
              "physical therapy",
              new Step(StepKind.THERAPY, "Physical therapy session 1", 7),
              new Step(StepKind.THERAPY, "Physical therapy session 2", 7),
              new Step(StepKind.THERAPY, "Physical therapy session 3", 7)),
          new Template(
              "lab in 6 weeks",
              new Step(StepKind.LAB, "Hemoglobin A1c", 42),
              new Step(StepKind.VISIT, "Results review visit", 14)),
          new Template("referral", new Step(StepKind.REFERRAL, "Cardiology referral", 28)),
          new Template(
              "medication check",
              new Step(StepKind.MEDICATION_CHECK, "90-day medication check", 90)),
          new Template(
              "imaging",
              new Step(StepKind.IMAGING, "Knee MRI", 21),
              new Step(StepKind.VISIT, "Orthopedic follow-up", 14)),
          new Template("post-visit", new Step(StepKind.VISIT, "Follow-up visit", 30)));

  /** How far back the generated treatment plans were ordered. */
  static final int HISTORY_DAYS = 60;

  /** Something that happens at a time in the practice's history. */
  record Happening(Instant at, ImportBatch batch) {}

  private final long seed;
  private final int patients;
  private final Instant asOf;

  public DemoGenerator(long seed, int patients, Instant asOf) {
    this.seed = seed;
    this.patients = patients;
    this.asOf = asOf;
  }

  /** The practice's history, in time order: plan activations and appointment updates. */
  public List<Happening> history() {
    var rnd = new Random(seed);
    var out = new ArrayList<Happening>();
    for (int i = 0; i < patients; i++) {
      String first = FIRST[rnd.nextInt(FIRST.length)], last = LAST[rnd.nextInt(LAST.length)];
      String key = "demo:patient:" + (1000 + i);
      boolean hasMobile = rnd.nextDouble() < 0.85, hasEmail = rnd.nextDouble() < 0.7;
      String phone = String.format("+1617555%04d", 100 + rnd.nextInt(100));
      var patient =
          new PatientRecord(
              key,
              PRACTICE.id(),
              first,
              last,
              hasMobile ? Optional.of(phone) : Optional.empty(),
              hasMobile ? Optional.empty() : Optional.of(phone),
              hasEmail
                  ? Optional.of(
                      first.toLowerCase(Locale.ROOT)
                          + "."
                          + last.toLowerCase(Locale.ROOT)
                          + i
                          + "@example.com")
                  : Optional.empty(),
              rnd.nextDouble() < 0.1 ? Optional.of(Channel.EMAIL) : Optional.empty(),
              Optional.of(rnd.nextDouble() < 0.08 ? "es" : "en"),
              ZONE,
              Optional.empty(),
              Optional.of(bornOn(key)));
      var t = TEMPLATES.get(rnd.nextInt(TEMPLATES.size()));
      // Ordered between HISTORY_DAYS and 1 days ago, during clinic hours.
      LocalDate day = LocalDate.ofInstant(asOf, ZONE).minusDays(1 + rnd.nextInt(HISTORY_DAYS));
      Instant ordered =
          day.atTime(LocalTime.of(9 + rnd.nextInt(8), rnd.nextInt(4) * 15))
              .atZone(ZONE)
              .toInstant();
      var steps = new ArrayList<OrderedStep>();
      for (int s = 0; s < t.steps().size(); s++) {
        var st = t.steps().get(s);
        steps.add(
            new OrderedStep(
                "step-" + (s + 1),
                st.kind(),
                st.description(),
                Optional.empty(),
                Optional.of(Duration.ofDays(st.days())),
                Optional.empty()));
      }
      String planKey = "demo:plan:" + (1000 + i);
      var flags =
          new PlanFlags(
              rnd.nextDouble() < 0.06,
              rnd.nextDouble() < 0.05,
              // Spanish speakers get Spanish texts; an interpreter is for the few who need one.
              rnd.nextDouble() < 0.03);
      var plan =
          new ImportBatch.IncomingPlan(
              planKey,
              key,
              ordered,
              steps,
              flags,
              Optional.of(rnd.nextBoolean() ? "Dr. Martinez" : "Dr. Chen"),
              true,
              planKey);
      out.add(
          new Happening(
              ordered,
              new ImportBatch(
                  "demo", PRACTICE.id(), List.of(patient), List.of(plan), List.of(), List.of())));
      // Appointment history, step by step, until something stops it.
      Instant cursor = ordered;
      for (int s = 0; s < steps.size(); s++) {
        double r = rnd.nextDouble();
        if (r < 0.2) break; // never booked: check-ins, then a care gap
        Instant bookedAt = cursor.plus(Duration.ofHours(24 + rnd.nextInt(24 * 10)));
        Instant visit =
            cursor
                .plus(steps.get(s).interval().orElseThrow())
                .plus(Duration.ofDays(rnd.nextInt(7) - 3));
        if (visit.isBefore(bookedAt)) visit = bookedAt.plus(Duration.ofDays(2));
        visit = clinicHours(visit, rnd);
        String appt = "demo:appointment:" + (1000 + i) + "-" + (s + 1);
        out.add(
            appointment(
                PRACTICE.id(), bookedAt, key, planKey, appt, "step-" + (s + 1), "booked", visit));
        String outcome = r < 0.72 ? "fulfilled" : r < 0.9 ? "noshow" : "cancelled";
        out.add(
            appointment(
                PRACTICE.id(),
                outcome.equals("cancelled")
                    ? visit.minus(Duration.ofDays(1))
                    : visit.plus(Duration.ofHours(1)),
                key,
                planKey,
                appt,
                "step-" + (s + 1),
                outcome,
                visit));
        if (!outcome.equals("fulfilled")) break;
        cursor = visit;
      }
    }
    out.addAll(
        new DemoPrograms(seed, asOf, patients / Double.parseDouble(DemoCommand.PATIENTS))
            .history());
    out.removeIf(h -> h.at().isAfter(asOf));
    out.sort(Comparator.comparing(Happening::at));
    return out;
  }

  /** What the EHR sends at {@code at}: a plan's appointment for a step, as it stands now. */
  static Happening appointment(
      String practice,
      Instant at,
      String patientKey,
      String planKey,
      String appt,
      String step,
      String status,
      Instant start) {
    var update =
        new ImportBatch.AppointmentUpdate(
            appt,
            patientKey,
            Optional.of(planKey),
            Optional.of(step),
            status,
            Optional.of(start),
            appt);
    return new Happening(
        at, new ImportBatch("demo", practice, List.of(), List.of(), List.of(update), List.of()));
  }

  /**
   * Plays the history through the engine: the simulated clock walks to each happening, and twice
   * each business day the practice's people work their cases ({@link DemoStaff}); the visits they
   * book come back from the EHR as kept or missed.
   */
  public void load(Careloop careloop) {
    careloop.upsertPractice(PRACTICE);
    // Riverside follows up its finished visits and sends a weekly recall list; Lakeside sends its
    // hygiene recall list (its presented treatment plans start the dental program by themselves).
    var protocols = careloop.engine().protocols();
    var admin = careloop.administration();
    Instant start = careloop.clock().instant();
    admin.choosePracticeProtocol(
        "admin:ada", PRACTICE.id(), "encounter-finished", protocols, "post-visit", start);
    admin.choosePracticeProtocol(
        "admin:ada", PRACTICE.id(), "csv-row-imported", protocols, "weekly-recall", start);
    admin.choosePracticeProtocol(
        "admin:ada", DemoUsers.LAKESIDE, "csv-row-imported", protocols, "weekly-recall", start);
    var queue = new PriorityQueue<Happening>(Comparator.comparing(Happening::at));
    queue.addAll(history());
    if (queue.isEmpty()) {
      careloop.advance(asOf);
      return;
    }
    var staff = new DemoStaff(careloop, seed, ZONE, queue.peek().at());
    while (true) {
      var next = queue.peek();
      if (staff.nextSession().isBefore(next == null ? asOf : min(next.at(), asOf))) {
        careloop.advance(staff.nextSession());
        queue.addAll(staff.work());
        continue;
      }
      if (next == null || next.at().isAfter(asOf)) break;
      queue.poll();
      careloop.advance(next.at());
      careloop.importer().importBatch(next.batch(), next.at());
    }
    careloop.advance(asOf);
  }

  /** The visit on its day (or the Monday after a weekend), at a slot between 09:00 and 16:45. */
  private static Instant clinicHours(Instant visit, Random rnd) {
    var day = LocalDate.ofInstant(visit, ZONE);
    while (day.getDayOfWeek().getValue() > 5) day = day.plusDays(1);
    return day.atTime(9 + rnd.nextInt(8), rnd.nextInt(4) * 15).atZone(ZONE).toInstant();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /**
   * A demo patient's date of birth, from their id alone (1945 to 2004), so adding it draws nothing
   * from the demo's random sequence.
   */
  static LocalDate bornOn(String id) {
    return LocalDate.of(1945, 1, 1).plusDays(Math.floorMod(id.hashCode(), 60 * 365));
  }
}
