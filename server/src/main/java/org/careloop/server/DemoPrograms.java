package org.careloop.server;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.server.DemoGenerator.Happening;

/**
 * The demo practices' other programs, each fed in the shape a practice system sends it and read by
 * the real readers: Riverside's finished visits as FHIR Encounters (post-visit) and its weekly
 * recall list as a CSV export every Friday; Lakeside Dental's presented treatment plans as the
 * practice system's weekly export (statuses moving from presented to accepted, scheduled, completed
 * or declined) and its hygiene recall list. Patients book on their own some of the time; the EHR
 * reports the visit afterwards.
 */
final class DemoPrograms {
  static final ZoneId LAKESIDE_ZONE = ZoneId.of("America/Chicago");

  private static final String[] FIRST = {
    "Amara", "Luis", "Ingrid", "Tariq", "Beatriz", "Connor", "Yuki", "Marcus", "Leila", "Pavel",
    "Camila", "Desmond", "Anika", "Rafael", "Sofia", "Tobias", "Noor", "Gideon", "Lucia", "Owen"
  };
  private static final String[] LAST = {
    "Abernathy", "Delgado", "Lindqvist", "Mensah", "Oyelaran", "Petrov", "Quintero", "Sato",
    "Varga", "Whitfield", "Yilmaz", "Zamora", "Fitzgerald", "Moreau", "Kaur", "Novak"
  };
  private static final String[] PROCEDURES = {
    "Implant #30",
    "Crown #3",
    "Bridge #12-14",
    "Root canal #19; crown",
    "Veneers #7-10",
    "Scaling and root planing",
    "Implant #19; crown",
    "Inlay #14",
    "Partial denture"
  };
  private static final int[] VALUES = {380, 980, 1250, 1800, 2400, 3650, 4250, 5900};
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;

  private final Random rnd;
  private final Instant asOf;
  private final double scale;
  private final List<Happening> out = new ArrayList<>();

  /**
   * @param scale the practices' size against the demo's default (Riverside's patients with
   *     treatment plans over {@link DemoCommand#PATIENTS}): every program grows with it
   */
  DemoPrograms(long seed, Instant asOf, double scale) {
    this.rnd = new Random(seed * 17 + 3);
    this.asOf = asOf;
    this.scale = scale;
  }

  /** Every program's inputs, in no particular order. */
  List<Happening> history() {
    postVisits();
    recallList(
        Careloop.DEFAULT_PRACTICE,
        DemoGenerator.ZONE,
        "617",
        "Dr. Martinez",
        List.of("annual physical", "follow-up visit", "diabetes follow-up visit"));
    recallList(
        DemoUsers.LAKESIDE,
        LAKESIDE_ZONE,
        "312",
        "Dr. Singh",
        List.of("6-month cleaning visit", "periodontal maintenance visit"));
    presentedTreatment();
    return out;
  }

  /**
   * Riverside: one or two finished visits each business day of the last 45 (at the default size),
   * sent as its Encounter (and Patient) an hour after it; 55% of the patients book the follow-up
   * themselves.
   */
  private void postVisits() {
    var zone = DemoGenerator.ZONE;
    LocalDate today = LocalDate.ofInstant(asOf, zone);
    var reader = new FhirReader(Careloop.DEFAULT_PRACTICE, zone, "US");
    int n = 0;
    for (var day : busyDays(today.minusDays(45), today, 1.5)) {
      String id = "pv-" + (2000 + n++);
      Instant end = day.atTime(9 + rnd.nextInt(7), rnd.nextInt(4) * 15).atZone(zone).toInstant();
      String json =
          """
          {"resourceType": "Bundle", "type": "collection", "entry": [
            {"fullUrl": "https://ehr.riverside.example/fhir/Patient/%1$s", "resource": {
              "resourceType": "Patient", "id": "%1$s", "name": [{"given": ["%2$s"], "family": "%3$s"}],
              "telecom": [{"system": "phone", "value": "%4$s", "use": "mobile"}],
              "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "%5$s"}]}}],
              "address": [{"state": "%6$s"}], "birthDate": "%9$s"}},
            {"fullUrl": "https://ehr.riverside.example/fhir/Encounter/%1$s-visit", "resource": {
              "resourceType": "Encounter", "id": "%1$s-visit", "status": "finished",
              "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
              "subject": {"reference": "Patient/%1$s"},
              "period": {"start": "%7$s", "end": "%8$s"}}}]}
          """
              .formatted(
                  id,
                  first(),
                  last(),
                  phone("617"),
                  rnd.nextDouble() < 0.1 ? "es" : "en",
                  rnd.nextDouble() < 0.06 ? "FL" : "MA",
                  end.minus(Duration.ofMinutes(30)),
                  end,
                  DemoGenerator.bornOn(id));
      Instant sent = end.plus(Duration.ofHours(1));
      if (sent.isAfter(asOf)) continue;
      out.add(new Happening(sent, reader.read(json, id + ".json")));
      if (rnd.nextDouble() < 0.4)
        booked(
            Careloop.DEFAULT_PRACTICE,
            zone,
            "fhir:Patient/" + id,
            "fhir:Encounter/" + id + "-visit:post-visit",
            "next-step",
            sent.plus(Duration.ofHours(20 + rnd.nextInt(24 * 9))),
            day.plusDays(21 + rnd.nextInt(21)));
    }
  }

  /**
   * A practice's weekly recall list: each Friday afternoon the patients due in the next four weeks
   * who have not booked; 35% book within a week of their first text.
   */
  private void recallList(
      String practice, ZoneId zone, String area, String provider, List<String> types) {
    LocalDate today = LocalDate.ofInstant(asOf, zone);
    record Recall(String id, String name, String phone, String type, LocalDate due, boolean es) {}
    var recalls = new ArrayList<Recall>();
    for (int i = 0; i < Math.round(90 * scale); i++)
      recalls.add(
          new Recall(
              practice.substring(0, 2).toUpperCase(Locale.ROOT) + "R" + (3000 + i),
              first() + " " + last(),
              phone(area),
              types.get(rnd.nextInt(types.size())),
              today.plusDays(rnd.nextInt(84) - 35),
              rnd.nextDouble() < 0.1));
    var bookedOn = new java.util.HashMap<String, LocalDate>();
    var reader = new WeeklyExportReader(practice, zone, "US");
    for (var friday = firstFriday(today.minusDays(70)); !friday.isAfter(today); ) {
      var rows =
          new StringBuilder(
              "patient_id,name,phone,provider,follow_up_type,due_date,language,dob\n");
      int listed = 0;
      for (var r : recalls) {
        if (r.due().isBefore(friday) || r.due().isAfter(friday.plusDays(28))) continue;
        if (bookedOn.containsKey(r.id()) && !bookedOn.get(r.id()).isAfter(friday)) continue;
        listed++;
        rows.append(
            String.join(
                    ",",
                    r.id(),
                    r.name(),
                    r.phone(),
                    provider,
                    r.type(),
                    DAY.format(r.due()),
                    r.es() ? "es" : "en",
                    DAY.format(DemoGenerator.bornOn(r.id())))
                + "\n");
        if (!bookedOn.containsKey(r.id()) && rnd.nextDouble() < 0.35) {
          var on = friday.plusDays(3 + rnd.nextInt(6));
          bookedOn.put(r.id(), on);
          booked(
              practice,
              zone,
              "csv:patient:" + r.id(),
              "csv:" + r.id() + ":" + r.type(),
              "follow-up",
              on.atTime(11, 0).atZone(zone).toInstant(),
              r.due().isAfter(on.plusDays(2)) ? r.due() : on.plusDays(7));
        }
      }
      Instant at = friday.atTime(16, 0).atZone(zone).toInstant();
      if (listed > 0 && !at.isAfter(asOf))
        out.add(
            new Happening(
                at, reader.read(rows.toString(), "recall-" + DAY.format(friday) + ".csv", at)));
      friday = friday.plusDays(7);
    }
  }

  /**
   * Lakeside Dental: one or two treatment plans presented each business day of the last 75 (at the
   * default size), and the practice system's export every Friday of the plans presented in the 60
   * days before, each with its status that day.
   */
  private void presentedTreatment() {
    var zone = LAKESIDE_ZONE;
    LocalDate today = LocalDate.ofInstant(asOf, zone);
    record Presented(
        String row,
        LocalDate on,
        Optional<LocalDate> accepted,
        Optional<LocalDate> scheduled,
        Optional<LocalDate> done,
        Optional<LocalDate> declined) {}
    var plans = new ArrayList<Presented>();
    int n = 0;
    for (var day : busyDays(today.minusDays(75), today, 1.4)) {
      int value = VALUES[rnd.nextInt(VALUES.length)];
      String id = "LD" + (4000 + n++);
      String row =
          String.join(
              ",",
              id,
              first(),
              last(),
              phone("312"),
              DAY.format(DemoGenerator.bornOn(id)),
              "TP-" + id,
              DAY.format(day),
              PROCEDURES[rnd.nextInt(PROCEDURES.length)],
              "\"$" + String.format(Locale.ROOT, "%,d", value) + ".00\"");
      double r = rnd.nextDouble();
      var accepted =
          r < 0.35 ? Optional.of(day.plusDays(2 + rnd.nextInt(11))) : Optional.<LocalDate>empty();
      var scheduled =
          accepted.filter(a -> rnd.nextDouble() < 0.75).map(a -> a.plusDays(1 + rnd.nextInt(8)));
      var done = scheduled.map(s -> s.plusDays(7 + rnd.nextInt(14)));
      var declined =
          accepted.isEmpty() && r < 0.5
              ? Optional.of(day.plusDays(3 + rnd.nextInt(18)))
              : Optional.<LocalDate>empty();
      plans.add(new Presented(row, day, accepted, scheduled, done, declined));
    }
    var reader = new WeeklyExportReader(DemoUsers.LAKESIDE, zone, "US");
    for (var friday = firstFriday(today.minusDays(75)); !friday.isAfter(today); ) {
      var rows =
          new StringBuilder(
              "patient_id,first_name,last_name,phone,dob,plan_id,presented_date,procedures,total_value,status\n");
      int listed = 0;
      for (var p : plans) {
        if (p.on().isAfter(friday) || p.on().isBefore(friday.minusDays(60))) continue;
        var f = friday;
        String status =
            p.done().filter(d -> !d.isAfter(f)).isPresent()
                ? "completed"
                : p.scheduled().filter(d -> !d.isAfter(f)).isPresent()
                    ? "scheduled"
                    : p.accepted().filter(d -> !d.isAfter(f)).isPresent()
                        ? "accepted"
                        : p.declined().filter(d -> !d.isAfter(f)).isPresent()
                            ? "declined"
                            : "presented";
        rows.append(p.row()).append(',').append(status).append('\n');
        listed++;
      }
      Instant at = friday.atTime(17, 0).atZone(zone).toInstant();
      if (listed > 0 && !at.isAfter(asOf))
        out.add(
            new Happening(
                at, reader.read(rows.toString(), "presented-" + DAY.format(friday) + ".csv", at)));
      friday = friday.plusDays(7);
    }
  }

  /** The patient booked the step at {@code at} for {@code visitDay}; the EHR reports the visit. */
  private void booked(
      String practice,
      ZoneId zone,
      String patientKey,
      String planKey,
      String step,
      Instant at,
      LocalDate visitDay) {
    while (!businessDay(visitDay)) visitDay = visitDay.plusDays(1);
    Instant visit =
        visitDay.atTime(9 + rnd.nextInt(8), rnd.nextInt(4) * 15).atZone(zone).toInstant();
    String appt = "demo:appointment:" + planKey + ":" + step;
    reported(practice, patientKey, planKey, step, appt, at, "booked", visit);
    reported(
        practice,
        patientKey,
        planKey,
        step,
        appt,
        visit.plus(Duration.ofHours(1)),
        rnd.nextDouble() < 0.85 ? "fulfilled" : "noshow",
        visit);
  }

  /** What the EHR sends at {@code at} about the appointment, when that is before the demo's day. */
  private void reported(
      String practice,
      String patientKey,
      String planKey,
      String step,
      String appt,
      Instant at,
      String status,
      Instant visit) {
    if (!at.isAfter(asOf))
      out.add(
          DemoGenerator.appointment(practice, at, patientKey, planKey, appt, step, status, visit));
  }

  private String first() {
    return FIRST[rnd.nextInt(FIRST.length)];
  }

  private String last() {
    return LAST[rnd.nextInt(LAST.length)];
  }

  /** A number in the fictional 555-01xx range. */
  private String phone(String area) {
    return area + "-555-" + String.format(Locale.ROOT, "%04d", 100 + rnd.nextInt(100));
  }

  /**
   * The business days from {@code from} until {@code to}, each as many times as things happen on
   * it: {@code perDay} on average at the default size, in proportion to the practice's.
   */
  private List<LocalDate> busyDays(LocalDate from, LocalDate to, double perDay) {
    var days = new ArrayList<LocalDate>();
    double mean = perDay * scale;
    for (var day = from; day.isBefore(to); day = day.plusDays(1)) {
      if (!businessDay(day)) continue;
      long n = (long) mean + (rnd.nextDouble() < mean - Math.floor(mean) ? 1 : 0);
      for (long k = 0; k < n; k++) days.add(day);
    }
    return days;
  }

  private static boolean businessDay(LocalDate day) {
    return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
  }

  private static LocalDate firstFriday(LocalDate from) {
    var d = from;
    while (d.getDayOfWeek() != DayOfWeek.FRIDAY) d = d.plusDays(1);
    return d;
  }
}
