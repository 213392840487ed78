package org.careloop.app.reports;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.careloop.app.reports.Metric.Kind;
import org.careloop.app.reports.Metric.Sample;
import org.careloop.core.Lane;
import org.careloop.core.Milestone;
import org.careloop.core.StepKind;

/** Care coordination's figures over every program's cases and steps (seed 004). */
final class CoordinationFigures {
  static final String PROGRAM = "Care coordination";

  private CoordinationFigures() {}

  static String lane(Lane lane) {
    return lane.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  static List<Metric> all() {
    return List.of(
        Metric.by(
            "lane",
            "first-response-by-lane",
            PROGRAM,
            "First response by lane",
            Kind.DURATION,
            "Cases opened in the period, by lane: the time from the case opening to the first"
                + " entry a person documented on it; median and 90th percentile. A case nobody"
                + " documented yet counts in 'of' only.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var t : h.facts().tasks()) {
                if (!p.holds(t.createdAt())) continue;
                var first = h.notesOn(t).stream().findFirst();
                out.add(
                    new Sample(
                        t.planId(),
                        lane(t.lane()),
                        first.isPresent(),
                        first
                            .map(n -> Duration.between(t.createdAt(), n.at()).toSeconds())
                            .orElse(0L)));
              }
              return out;
            }),
        Metric.of(
            "contact-rate",
            PROGRAM,
            "Contact rate",
            Kind.SHARE,
            "Cases opened in the period on which someone documented a call: the share where a"
                + " call reached the patient.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var t : h.facts().tasks()) {
                if (!p.holds(t.createdAt())) continue;
                var calls = h.notesOn(t).stream().filter(n -> n.outcome().isPresent()).toList();
                if (calls.isEmpty()) continue;
                out.add(
                    Sample.of(
                        t.planId(),
                        calls.stream().anyMatch(n -> n.outcome().get().equals("reached"))));
              }
              return out;
            }),
        Metric.of(
            "referral-conversion",
            PROGRAM,
            "Referral conversion",
            Kind.SHARE,
            "Referral steps (a specialist visit) due in the period, in every program: the share"
                + " booked or done so far.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var plan : h.facts().plans())
                for (var m : History.steps(plan))
                  if (m.kind() == StepKind.REFERRAL && p.holds(m.dueAt()))
                    out.add(
                        Sample.of(
                            plan.state().planId(), m.bookedAt().or(m::completedAt).isPresent()));
              return out;
            }),
        Metric.of(
            "no-show-recovery",
            PROGRAM,
            "No-show recovery",
            Kind.SHARE,
            "Appointments missed in the period, in every program: the share booked again or done"
                + " after the miss, so far.",
            (h, p) ->
                h.missesIn(p, h.facts().plans()).stream()
                    .map(miss ->
                        Sample.of(
                            miss.planId(), TreatmentPlanFigures.recovered(miss.step(), miss.at())))
                    .toList()),
        Metric.of(
            "post-visit-tasks-on-time",
            PROGRAM,
            "Post-visit cases done on time",
            Kind.SHARE,
            "Post-visit cases whose respond-by time fell in the period: the share closed by"
                + " then.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var t : h.facts().tasks())
                if (t.lane() == Lane.POST_VISIT && p.holds(t.respondBy()))
                  out.add(
                      Sample.of(
                          t.planId(),
                          t.closedAt().filter(c -> !c.isAfter(t.respondBy())).isPresent()));
              return out;
            }),
        Metric.of(
            "trigger-to-next-step",
            PROGRAM,
            "Trigger to next step done",
            Kind.DURATION,
            "Plans started in the period, in every program: the time from what started the plan"
                + " (the order, the visit, the export) to its first step done; median and 90th"
                + " percentile. A plan whose first step is not done yet counts in 'of' only.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var plan : h.facts().plans()) {
                var start = plan.state().anchorAt();
                if (!p.holds(start)) continue;
                var done =
                    History.steps(plan).stream()
                        .min(Comparator.comparingInt(Milestone::seq))
                        .flatMap(Milestone::completedAt);
                out.add(
                    new Sample(
                        plan.state().planId(),
                        "",
                        done.isPresent(),
                        done.map(d -> Math.max(0, Duration.between(start, d).toSeconds()))
                            .orElse(0L)));
              }
              return out;
            }),
        Metric.by(
            "barrier",
            "barriers-by-kind",
            PROGRAM,
            "Barriers by kind",
            Kind.COUNT,
            "Barriers people documented on cases in the period, by kind.",
            (h, p) ->
                h.facts().notes().stream()
                    .filter(n -> n.barrier().isPresent() && p.holds(n.at()))
                    .map(n -> new Sample(n.planId(), n.barrier().get(), true, 0))
                    .toList()));
  }
}
