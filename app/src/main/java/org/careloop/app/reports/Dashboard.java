package org.careloop.app.reports;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.careloop.app.MetricFacts.Facts;
import org.careloop.core.Milestone;

/**
 * A practice's dashboard for a period, beside the period before it: every program's figures, the
 * day-by-day (or week-by-week) activity, and presented dental plans as a funnel. Counted from the
 * stored facts each time it is asked; nothing here is kept.
 */
public final class Dashboard {
  /** Every figure, program by program, in the order the page shows them. */
  public static final List<Metric> METRICS =
      Stream.of(
              TreatmentPlanFigures.all(),
              PostVisitFigures.all(),
              RecallFigures.all(),
              DentalFigures.all(),
              CoordinationFigures.all())
          .flatMap(List::stream)
          .toList();

  private Dashboard() {}

  /** A figure for the period and the one before. */
  public record Figure(Metric metric, Value now, Value before) {}

  /** A program's figures. */
  public record Section(String program, List<Figure> figures) {}

  /**
   * What happened in a day or a week of the period: messages that went out, steps done, steps
   * missed, cases opened.
   */
  public record Bucket(LocalDate start, int messages, int done, int missed, int casesOpened) {}

  /** A stage of the presented-plan funnel and the plans that reached it. */
  public record Stage(String name, int plans) {}

  /** The dashboard as the page shows it. */
  public record View(
      Period period,
      List<Section> sections,
      boolean weekly,
      List<Bucket> activity,
      List<Stage> funnel) {
    /** The figure named {@code id}. */
    public Figure figure(String id) {
      return sections.stream()
          .flatMap(s -> s.figures().stream())
          .filter(f -> f.metric().id().equals(id))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no figure " + id));
    }
  }

  /**
   * A patient behind a figure: the plan a sample is about, with the patient as people know them,
   * the group and amount the sample had, whether it counted, and the plan's newest case.
   */
  public record Behind(
      String planId,
      String patient,
      String ref,
      String protocol,
      String group,
      boolean counted,
      long amount,
      Optional<Long> caseId) {}

  /** The patients behind a figure in the period, patients by name. */
  public static List<Behind> behind(Facts facts, Metric metric, Period period) {
    var history = new History(facts);
    var newestCase = new java.util.HashMap<String, org.careloop.app.MetricFacts.TaskFact>();
    for (var t : facts.tasks())
      newestCase.merge(t.planId(), t, (a, b) -> a.createdAt().isAfter(b.createdAt()) ? a : b);
    var out = new ArrayList<Behind>();
    for (var s : metric.count().samples(history, period)) {
      var plan = history.plan(s.planId());
      out.add(
          new Behind(
              s.planId(),
              plan.map(org.careloop.app.MetricFacts.PlanFact::patient).orElse("-"),
              plan.map(org.careloop.app.MetricFacts.PlanFact::ref).orElse("-"),
              plan.map(p -> p.state().protocolId()).orElse("-"),
              s.group(),
              s.counted(),
              s.amount(),
              Optional.ofNullable(newestCase.get(s.planId()))
                  .map(org.careloop.app.MetricFacts.TaskFact::id)));
    }
    out.sort(java.util.Comparator.comparing(Behind::patient).thenComparing(Behind::planId));
    return out;
  }

  /** The figure named {@code id}. */
  public static Optional<Metric> metric(String id) {
    return METRICS.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /** One figure for the period and the one before. */
  public static Figure figure(Metric metric, History history, Period period) {
    return new Figure(
        metric,
        new Value(metric.kind(), metric.count().samples(history, period)),
        new Value(metric.kind(), metric.count().samples(history, period.previous())));
  }

  /** The whole dashboard. */
  public static View of(Facts facts, Period period) {
    var history = new History(facts);
    var sections = new LinkedHashMap<String, List<Figure>>();
    for (var m : METRICS)
      sections.computeIfAbsent(m.program(), k -> new ArrayList<>()).add(figure(m, history, period));
    var out = new ArrayList<Section>();
    sections.forEach((program, figures) -> out.add(new Section(program, figures)));
    boolean weekly = period.days() > 31;
    return new View(
        period, out, weekly, activity(history, period, weekly), funnel(history, period));
  }

  /** The first day of the bucket {@code day} falls in. */
  private static LocalDate bucketOf(LocalDate day, Period period, boolean weekly) {
    if (!weekly) return day;
    var monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    return monday.isBefore(period.from()) ? period.from() : monday;
  }

  private static List<Bucket> activity(History h, Period period, boolean weekly) {
    var counts = new LinkedHashMap<LocalDate, int[]>();
    for (var d = period.from(); !d.isAfter(period.to()); d = d.plusDays(1))
      counts.putIfAbsent(bucketOf(d, period, weekly), new int[4]);
    var zone = period.zone();
    java.util.function.BiConsumer<java.time.Instant, Integer> add =
        (t, i) -> {
          if (period.holds(t))
            counts.get(bucketOf(t.atZone(zone).toLocalDate(), period, weekly))[i]++;
        };
    for (var m : h.facts().messages()) add.accept(m.sentAt(), 0);
    for (var plan : h.facts().plans())
      for (Milestone m : History.steps(plan)) {
        m.completedAt().ifPresent(t -> add.accept(t, 1));
        m.missedAt().ifPresent(t -> add.accept(t, 2));
      }
    for (var t : h.facts().tasks()) add.accept(t.createdAt(), 3);
    var out = new ArrayList<Bucket>();
    counts.forEach((day, c) -> out.add(new Bucket(day, c[0], c[1], c[2], c[3])));
    return out;
  }

  /** Dental plans presented in the period: how many were accepted, scheduled, completed so far. */
  private static List<Stage> funnel(History h, Period period) {
    int presented = 0, accepted = 0, scheduled = 0, completed = 0;
    for (var plan : h.plans(History.DENTAL)) {
      if (!period.holds(plan.state().anchorAt())) continue;
      presented++;
      if (DentalFigures.acceptedAt(plan).isEmpty()) continue;
      accepted++;
      var how = plan.state().acceptance();
      var procedure = plan.state().milestone("procedure");
      boolean isScheduled =
          how.filter(a -> a != org.careloop.core.PlanEvent.Acceptance.ACCEPTED).isPresent()
              || procedure.flatMap(Milestone::bookedAt).isPresent();
      if (isScheduled) scheduled++;
      if (procedure.flatMap(Milestone::completedAt).isPresent()) completed++;
    }
    return List.of(
        new Stage("presented", presented),
        new Stage("accepted", accepted),
        new Stage("scheduled", scheduled),
        new Stage("completed", completed));
  }
}
