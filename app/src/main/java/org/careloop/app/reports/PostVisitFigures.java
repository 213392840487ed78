package org.careloop.app.reports;

import static org.careloop.app.reports.History.POST_VISIT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.careloop.app.reports.Metric.Kind;
import org.careloop.app.reports.Metric.Sample;
import org.careloop.core.Milestone;

/** The post-visit program's figures (seed 001), and the response count recall shares. */
final class PostVisitFigures {
  static final String PROGRAM = "Post-visit follow-up";

  /** How long after a message a reply or a booking-link use counts as its response. */
  static final Duration ANSWER_WINDOW = Duration.ofDays(7);

  private PostVisitFigures() {}

  static List<Metric> all() {
    return List.of(
        Metric.of(
            "booked-within-7-days",
            PROGRAM,
            "Booked within 7 days of the visit",
            Kind.SHARE,
            "Visits in the period (post-visit plans started): the share whose follow-up was booked"
                + " or done within 7 days of the visit, so far.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var plan : h.plans(POST_VISIT)) {
                Instant visit = plan.state().anchorAt();
                if (!p.holds(visit)) continue;
                var first =
                    plan.state().milestones().stream().min(Comparator.comparingInt(Milestone::seq));
                out.add(
                    Sample.of(
                        plan.state().planId(),
                        first
                            .flatMap(m -> m.bookedAt().or(m::completedAt))
                            .filter(t -> !t.isAfter(visit.plus(Duration.ofDays(7))))
                            .isPresent()));
              }
              return out;
            }),
        Metric.of(
            "recall-compliance-30-days",
            PROGRAM,
            "Recall compliance at 30 days",
            Kind.SHARE,
            "Post-visit steps whose 30 days past their due date ended in the period: the share"
                + " done within those 30 days.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var plan : h.plans(POST_VISIT))
                for (var m : History.steps(plan)) {
                  Instant limit = m.dueAt().plus(Duration.ofDays(30));
                  if (!p.holds(limit)) continue;
                  out.add(
                      Sample.of(
                          plan.state().planId(),
                          m.completedAt().filter(c -> !c.isAfter(limit)).isPresent()));
                }
              return out;
            }),
        Metric.of(
            "summary-within-2-hours",
            PROGRAM,
            "Care summary within 2 hours",
            Kind.SHARE,
            "Visits in the period: the share whose first message (the care summary) went out"
                + " within 2 hours of the visit.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var plan : h.plans(POST_VISIT)) {
                Instant visit = plan.state().anchorAt();
                if (!p.holds(visit)) continue;
                out.add(
                    Sample.of(
                        plan.state().planId(),
                        plan.state()
                            .firstMessageAt()
                            .filter(t -> !t.isAfter(visit.plus(Duration.ofHours(2))))
                            .isPresent()));
              }
              return out;
            }),
        Metric.by(
            "channel",
            "post-visit-response-by-channel",
            PROGRAM,
            "Response rate by channel",
            Kind.SHARE,
            responseDefinition("post-visit"),
            (h, p) -> responses(h, p, POST_VISIT)),
        Metric.by(
            "channel",
            "time-to-complete-by-channel",
            PROGRAM,
            "Time to complete by channel",
            Kind.DURATION,
            "Post-visit steps done in the period after a message: the time from the plan's first"
                + " message to the step done, by the channel of that first message; median and"
                + " 90th percentile.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var plan : h.plans(POST_VISIT)) {
                String id = plan.state().planId();
                var first = h.messages(id).stream().findFirst();
                if (first.isEmpty()) continue;
                for (var m : History.steps(plan)) {
                  if (m.completedAt().filter(p::holds).isEmpty()) continue;
                  var done = m.completedAt().get();
                  if (done.isBefore(first.get().sentAt())) continue;
                  out.add(
                      new Sample(
                          id,
                          first.get().channel(),
                          true,
                          Duration.between(first.get().sentAt(), done).toSeconds()));
                }
              }
              return out;
            }));
  }

  static String responseDefinition(String program) {
    return "Messages of the "
        + program
        + " program sent in the period, by channel: the share the patient answered within 7"
        + " days and before the next message by that channel (a reply other than STOP or HELP,"
        + " or a booking link used).";
  }

  /** Each message of the protocol's plans sent in the period: answered before the next one? */
  static List<Sample> responses(History h, Period p, String protocol) {
    var out = new ArrayList<Sample>();
    for (var plan : h.plans(protocol)) {
      String id = plan.state().planId();
      var sent = h.messages(id);
      for (int i = 0; i < sent.size(); i++) {
        var m = sent.get(i);
        if (!p.holds(m.sentAt())) continue;
        Instant until = m.sentAt().plus(ANSWER_WINDOW);
        for (var next : sent.subList(i + 1, sent.size()))
          if (next.channel().equals(m.channel()) && next.sentAt().isAfter(m.sentAt())) {
            if (next.sentAt().isBefore(until)) until = next.sentAt();
            break;
          }
        out.add(new Sample(id, m.channel(), h.answered(id, m.sentAt(), until), 0));
      }
    }
    return out;
  }
}
