package org.careloop.app.reports;

import static org.careloop.app.reports.History.TREATMENT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.careloop.app.reports.Metric.Kind;
import org.careloop.app.reports.Metric.Sample;
import org.careloop.core.Milestone;
import org.careloop.core.MilestoneStatus;

/** The treatment-plan program's figures (seed 000). */
final class TreatmentPlanFigures {
  static final String PROGRAM = "Treatment plans";

  /** A step not done this long after its due date is missed even without an appointment. */
  static final Duration LATE = Duration.ofDays(7);

  /** Minutes a documented call takes, and any other documented entry, for the time estimate. */
  static final int CALL_MINUTES = 6;

  static final int ENTRY_MINUTES = 2;

  private TreatmentPlanFigures() {}

  /**
   * Whether a step counts as missed by {@code t}: its visit missed, or not done a week past due.
   */
  static boolean missedBy(Milestone m, Instant t) {
    if (m.missedAt().filter(x -> x.isBefore(t)).isPresent()) return true;
    var late = m.dueAt().plus(LATE);
    return late.isBefore(t) && m.completedAt().filter(c -> !c.isAfter(late)).isEmpty();
  }

  static List<Metric> all() {
    return List.of(
        Metric.of(
            "care-gap-rate",
            PROGRAM,
            "Care-gap rate",
            Kind.SHARE,
            "Of the patients with a treatment-plan step due in the period, the share with at least"
                + " one of those steps missed: its appointment missed, or not done within 7 days"
                + " of its due date, by the end of the period.",
            TreatmentPlanFigures::careGapRate),
        Metric.of(
            "milestone-completion",
            PROGRAM,
            "Milestone completion",
            Kind.SHARE,
            "Steps of treatment plans started in the 12 months before the period's end and due"
                + " before that end: the share done by then.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              Instant yearBefore = p.end().minus(Duration.ofDays(365));
              for (var plan : h.plans(TREATMENT)) {
                Instant start = plan.state().anchorAt();
                if (start.isBefore(yearBefore) || !start.isBefore(p.end())) continue;
                for (var m : History.steps(plan))
                  if (m.dueAt().isBefore(p.end()))
                    out.add(
                        Sample.of(
                            plan.state().planId(),
                            m.completedAt().filter(c -> c.isBefore(p.end())).isPresent()));
              }
              return out;
            }),
        Metric.of(
            "missed-to-outreach",
            PROGRAM,
            "Missed appointment to outreach",
            Kind.DURATION,
            "Treatment-plan appointments missed in the period: the time from careloop learning of"
                + " the miss to the first reach-out after it (a message sent or a call"
                + " documented); median and 90th percentile. A miss with no reach-out yet counts"
                + " in 'of' only.",
            (h, p) ->
                h.missesIn(p, h.plans(TREATMENT)).stream()
                    .map(miss -> {
                      var reach = h.firstOutreachFrom(miss.planId(), miss.at());
                      return new Sample(
                          miss.planId(),
                          "",
                          reach.isPresent(),
                          reach.map(r -> Duration.between(miss.at(), r).toSeconds()).orElse(0L));
                    })
                    .toList()),
        Metric.of(
            "re-engagement",
            PROGRAM,
            "Re-engagement after a miss",
            Kind.SHARE,
            "Treatment-plan appointments missed in the period: the share whose patient came back"
                + " after the miss, so far: booked again, did the step, replied (not STOP or"
                + " HELP) or used a booking link.",
            (h, p) ->
                h.missesIn(p, h.plans(TREATMENT)).stream()
                    .map(miss ->
                        Sample.of(
                            miss.planId(),
                            recovered(miss.step(), miss.at())
                                || h.answered(miss.planId(), miss.at(), Instant.MAX)))
                    .toList()),
        Metric.of(
            "coordinator-time",
            PROGRAM,
            "Coordinator time on follow-up",
            Kind.HOURS_PER_WEEK,
            "Hours a week people spent following up on the practice's cases in the period,"
                + " estimated from what they documented: "
                + CALL_MINUTES
                + " minutes a call, "
                + ENTRY_MINUTES
                + " minutes any other entry.",
            (h, p) ->
                h.facts().notes().stream()
                    .filter(n -> p.holds(n.at()))
                    .map(n ->
                        new Sample(
                            n.planId(),
                            "",
                            true,
                            n.outcome().isPresent() ? CALL_MINUTES : ENTRY_MINUTES))
                    .toList()));
  }

  /** A missed step booked again or done after the miss. */
  static boolean recovered(Milestone m, Instant missed) {
    return m.completedAt().filter(c -> c.isAfter(missed)).isPresent()
        || (m.status() == MilestoneStatus.SCHEDULED
            && m.appointmentStart().filter(s -> s.isAfter(missed)).isPresent());
  }

  private static List<Sample> careGapRate(History h, Period p) {
    var byPatient = new LinkedHashMap<String, Sample>();
    for (var plan : h.plans(TREATMENT)) {
      String id = plan.state().planId();
      for (var m : History.steps(plan)) {
        if (!p.holds(m.dueAt())) continue;
        boolean missed = missedBy(m, p.end());
        byPatient.merge(
            plan.state().patientId(),
            Sample.of(id, missed),
            (was, now) -> was.counted() || !now.counted() ? was : now);
      }
    }
    return List.copyOf(byPatient.values());
  }
}
