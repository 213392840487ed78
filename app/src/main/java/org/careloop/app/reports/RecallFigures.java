package org.careloop.app.reports;

import static org.careloop.app.reports.History.RECALL;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.careloop.app.MetricFacts.PlanFact;
import org.careloop.app.reports.Metric.Kind;
import org.careloop.app.reports.Metric.Sample;
import org.careloop.core.Milestone;

/** The recall list's figures (seed 002). */
final class RecallFigures {
  static final String PROGRAM = "Recall list";

  /** Minutes of a coordinator's call that an automated recall message stands in for. */
  static final int MINUTES_PER_MESSAGE = 5;

  private RecallFigures() {}

  /** A recall visit booked (or, unbooked, done) in the period after careloop wrote about it. */
  record Recovered(PlanFact plan, Milestone step, Instant at) {}

  static List<Recovered> recovered(History h, Period p) {
    var out = new ArrayList<Recovered>();
    for (var plan : h.plans(RECALL))
      for (var m : History.steps(plan)) {
        var at = m.bookedAt().or(m::completedAt);
        if (at.filter(p::holds).isEmpty()) continue;
        if (h.messagedBefore(plan.state().planId(), at.get()))
          out.add(new Recovered(plan, m, at.get()));
      }
    return out;
  }

  static List<Metric> all() {
    return List.of(
        Metric.of(
            "appointments-recovered",
            PROGRAM,
            "Appointments recovered",
            Kind.COUNT,
            "Recall visits booked in the period (or done, when the booking was not reported)"
                + " after careloop had written to the patient about them.",
            (h, p) ->
                recovered(h, p).stream()
                    .map(r -> Sample.of(r.plan().state().planId(), true))
                    .toList()),
        Metric.of(
            "revenue-attributed",
            PROGRAM,
            "Revenue attributed",
            Kind.MONEY,
            "The appointments recovered, each at the plan's own value when the practice system"
                + " sent one, else at the practice's appointment value (careloop practice"
                + " set-value); an appointment with neither is counted at nothing.",
            (h, p) ->
                recovered(h, p).stream()
                    .map(r -> {
                      var value = h.valueCents(r.plan());
                      return new Sample(
                          r.plan().state().planId(), "", value.isPresent(), value.orElse(0L));
                    })
                    .toList()),
        Metric.by(
            "channel",
            "recall-response-by-channel",
            PROGRAM,
            "Response by channel",
            Kind.SHARE,
            PostVisitFigures.responseDefinition("recall"),
            (h, p) -> PostVisitFigures.responses(h, p, RECALL)),
        Metric.of(
            "staff-time-saved",
            PROGRAM,
            "Staff time saved",
            Kind.HOURS,
            "Recall messages that went out in the period, each estimated to save the "
                + MINUTES_PER_MESSAGE
                + "-minute call a person would have made.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var plan : h.plans(RECALL))
                for (var m : h.messages(plan.state().planId()))
                  if (p.holds(m.sentAt()))
                    out.add(new Sample(m.planId(), "", true, MINUTES_PER_MESSAGE));
              return out;
            }));
  }
}
