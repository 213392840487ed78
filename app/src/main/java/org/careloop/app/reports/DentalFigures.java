package org.careloop.app.reports;

import static org.careloop.app.reports.History.DENTAL;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.app.MetricFacts.MessageFact;
import org.careloop.app.MetricFacts.PlanFact;
import org.careloop.app.reports.Metric.Kind;
import org.careloop.app.reports.Metric.Sample;
import org.careloop.core.Milestone;

/** The dental unaccepted-treatment program's figures (seed 003). */
final class DentalFigures {
  static final String PROGRAM = "Dental treatment acceptance";

  /** The step the practice's yes closes (the accepted treatment's own step comes after it). */
  private static final String PROCEDURE = "procedure";

  private DentalFigures() {}

  /** When the patient accepted the presented plan, if they have. */
  static Optional<Instant> acceptedAt(PlanFact plan) {
    return plan.state().milestones().stream()
        .filter(m -> !m.key().equals(PROCEDURE))
        .min(java.util.Comparator.comparingInt(Milestone::seq))
        .flatMap(Milestone::completedAt);
  }

  /** A touchpoint as people read it: the message's template and its channel. */
  static String touchpoint(MessageFact m) {
    return m.template().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + " ("
        + m.channel()
        + ")";
  }

  static List<Metric> all() {
    return List.of(
        Metric.of(
            "acceptance-rate",
            PROGRAM,
            "Acceptance rate",
            Kind.SHARE,
            "Treatment plans presented in the period (as the practice system's export dates"
                + " them): the share the patient has accepted so far.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var plan : h.plans(DENTAL))
                if (p.holds(plan.state().anchorAt()))
                  out.add(Sample.of(plan.state().planId(), acceptedAt(plan).isPresent()));
              return out;
            }),
        Metric.of(
            "revenue-recovered",
            PROGRAM,
            "Revenue recovered",
            Kind.MONEY,
            "Treatment plans accepted in the period after careloop had written to the patient,"
                + " each at the plan's value in the practice system's export.",
            (h, p) -> {
              var out = new ArrayList<Sample>();
              for (var plan : h.plans(DENTAL)) {
                var at = acceptedAt(plan).filter(p::holds);
                String id = plan.state().planId();
                if (at.isEmpty() || !h.messagedBefore(id, at.get())) continue;
                var value = plan.state().valueCents();
                out.add(new Sample(id, "", value.isPresent(), value.orElse(0L)));
              }
              return out;
            }),
        perTouchpoint(
            "touchpoint-opens",
            "Opened, per touchpoint",
            "Emails of presented-plan follow-up sent in the period, by touchpoint: the share"
                + " opened (the email's image loaded, where the practice turned open tracking"
                + " on; a mail program that blocks images hides an open).",
            (h, m, next) ->
                m.channel().equals("email")
                    ? Optional.of(
                        h.clicks(m.planId()).stream()
                            .anyMatch(
                                c -> c.messageKey().equals(m.key()) && c.purpose().equals("OPEN")))
                    : Optional.empty()),
        perTouchpoint(
            "touchpoint-clicks",
            "Clicked, per touchpoint",
            "Messages of presented-plan follow-up sent in the period, by touchpoint: the share"
                + " whose booking link the patient used.",
            (h, m, next) ->
                Optional.of(
                    h.clicks(m.planId()).stream()
                        .anyMatch(
                            c -> c.messageKey().equals(m.key()) && c.purpose().equals("BOOKING")))),
        perTouchpoint(
            "touchpoint-conversion",
            "Converted, per touchpoint",
            "Messages of presented-plan follow-up sent in the period, by touchpoint: the share"
                + " after which the patient accepted the plan before the next message.",
            (h, m, next) -> {
              return Optional.of(
                  h.plan(m.planId())
                      .flatMap(DentalFigures::acceptedAt)
                      .filter(a -> !a.isBefore(m.sentAt()) && next.filter(a::isAfter).isEmpty())
                      .isPresent());
            }));
  }

  /** Whether a message counts ({@code next}: when the plan's next message went), if it is asked. */
  @FunctionalInterface
  interface Touch {
    Optional<Boolean> counted(History h, MessageFact m, Optional<Instant> next);
  }

  private static Metric perTouchpoint(String id, String title, String definition, Touch touch) {
    return Metric.by(
        "touchpoint",
        id,
        PROGRAM,
        title,
        Kind.SHARE,
        definition,
        (h, p) -> {
          var out = new ArrayList<Sample>();
          for (var plan : h.plans(DENTAL)) {
            var sent = h.messages(plan.state().planId());
            for (int i = 0; i < sent.size(); i++) {
              var m = sent.get(i);
              if (!p.holds(m.sentAt())) continue;
              Optional<Instant> next =
                  sent.subList(i + 1, sent.size()).stream()
                      .map(MessageFact::sentAt)
                      .filter(t -> t.isAfter(m.sentAt()))
                      .findFirst();
              touch
                  .counted(h, m, next)
                  .ifPresent(c -> out.add(new Sample(m.planId(), touchpoint(m), c, 0)));
            }
          }
          return out;
        });
  }
}
