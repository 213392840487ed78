package org.careloop.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.careloop.adapters.csv.CsvExport;
import org.careloop.app.MetricFacts.Facts;
import org.careloop.app.Person;
import org.careloop.app.reports.Dashboard;
import org.careloop.app.reports.Metric;
import org.careloop.app.reports.Period;
import org.careloop.app.reports.Shown;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The managers' and providers' dashboard: every program's figures for a chosen period beside the
 * period before, each with its definition and the patients behind it, charts, CSV and a printable
 * week. Figures are counted from the stored facts on each request; a list of patients behind a
 * figure is audited like any other view of patient data.
 */
@Controller
public class DashboardController {
  /** The longest period one page counts. */
  static final int MAX_DAYS = 366;

  /** The period shown when none is chosen: the four weeks that end today. */
  static final int DEFAULT_DAYS = 28;

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  private final Careloop careloop;

  public DashboardController(Careloop careloop) {
    this.careloop = careloop;
  }

  /** A period asked for that careloop cannot count: the field and why. */
  static final class BadPeriod extends RuntimeException {
    BadPeriod(String message) {
      super(message);
    }
  }

  private Person me(Principal principal) {
    return WorkspaceController.signedIn(careloop, principal);
  }

  private LocalDate today(Person me) {
    return careloop
        .clock()
        .instant()
        .atZone(careloop.practice(me.practiceId()).zone())
        .toLocalDate();
  }

  /** The period the request names, or the default; {@link BadPeriod} naming the field otherwise. */
  Period period(Person me, Optional<String> from, Optional<String> to) {
    var zone = careloop.practice(me.practiceId()).zone();
    LocalDate last = date("to", to).orElse(today(me));
    LocalDate first = date("from", from).orElse(firstDay(last));
    if (last.isBefore(first))
      throw new BadPeriod("'to' (" + last + ") is before 'from' (" + first + ")");
    var period = new Period(first, last, zone);
    if (period.days() > MAX_DAYS)
      throw new BadPeriod(
          "the period is " + period.days() + " days; at most " + MAX_DAYS + " are counted at once");
    return period;
  }

  /** The first day of the period shown when none is chosen, the one that ends {@code last}. */
  private static LocalDate firstDay(LocalDate last) {
    return last.minusDays(DEFAULT_DAYS - 1L);
  }

  /**
   * Counts every practice's dashboard for the period shown when none is chosen, once, beside the
   * starting server: the first manager to open it then does not wait while every plan is read and
   * decoded (2.3 s at 10,000 plans on PostgreSQL), only for what changed since.
   */
  static void warm(Careloop careloop) {
    long t = System.nanoTime();
    var practices = careloop.store().inTransaction(org.careloop.app.Store.Tx::practiceIds);
    for (var id : practices) {
      var zone = careloop.practice(id).zone();
      var last = careloop.clock().instant().atZone(zone).toLocalDate();
      var period = new Period(firstDay(last), last, zone);
      Dashboard.of(
          careloop.metricFacts().facts(id, period.previous().start(), period.end()), period);
    }
    log.info(
        "dashboards of {} practice(s) counted in {} ms",
        practices.size(),
        (System.nanoTime() - t) / 1_000_000);
  }

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(DashboardController.class);

  private static Optional<LocalDate> date(String field, Optional<String> value) {
    var v = value.map(String::trim).filter(s -> !s.isEmpty());
    try {
      return v.map(LocalDate::parse);
    } catch (DateTimeParseException e) {
      throw new BadPeriod("'" + field + "' is not a date such as 2026-11-30");
    }
  }

  private Facts facts(Person me, Period period) {
    return careloop.metricFacts().facts(me.practiceId(), period.previous().start(), period.end());
  }

  /** The dashboard for the period. */
  @GetMapping("/dashboard")
  String dashboard(
      Principal principal,
      @RequestParam Optional<String> from,
      @RequestParam Optional<String> to,
      Model model,
      HttpServletResponse response) {
    var me = me(principal);
    model.addAttribute("me", me);
    model.addAttribute("practice", careloop.practice(me.practiceId()));
    model.addAttribute("from", from.orElse(""));
    model.addAttribute("to", to.orElse(""));
    Period period;
    try {
      period = period(me, from, to);
    } catch (BadPeriod e) {
      response.setStatus(HttpStatus.BAD_REQUEST.value());
      model.addAttribute("error", e.getMessage());
      return "dashboard";
    }
    var view = Dashboard.of(facts(me, period), period);
    model.addAttribute("view", view);
    model.addAttribute("period", period);
    model.addAttribute("from", period.from().toString());
    model.addAttribute("to", period.to().toString());
    model.addAttribute("rows", rows(view));
    model.addAttribute("chartsJson", JSON.writeValueAsString(charts(view)));
    var today = today(me);
    model.addAttribute(
        "lastWeek",
        today.minusWeeks(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString());
    return "dashboard";
  }

  /** One figure as the page shows it. */
  public record Row(
      String id,
      String title,
      String definition,
      String now,
      String before,
      String change,
      Optional<String> groupedBy,
      List<Map.Entry<String, String>> groups) {}

  /** The program headings and their figures in words. */
  static Map<String, List<Row>> rows(Dashboard.View view) {
    var out = new LinkedHashMap<String, List<Row>>();
    var period = view.period();
    for (var section : view.sections()) {
      var rows = new ArrayList<Row>();
      for (var f : section.figures()) {
        var groups = new ArrayList<Map.Entry<String, String>>();
        f.now().byGroup().forEach((g, v) -> groups.add(Map.entry(g, Shown.value(v, period))));
        rows.add(
            new Row(
                f.metric().id(),
                f.metric().title(),
                f.metric().definition(),
                Shown.value(f.now(), period),
                Shown.value(f.before(), period.previous()),
                Shown.change(f, period),
                f.metric().groupedBy(),
                f.metric().groupedBy().isPresent() ? groups : List.of()));
      }
      out.put(section.program(), rows);
    }
    return out;
  }

  /** What the charts draw, as the page's script reads it (JSON in the page, no patient data). */
  static Map<String, Object> charts(Dashboard.View view) {
    var chart = new LinkedHashMap<String, Object>();
    chart.put("weekly", view.weekly());
    chart.put("days", view.activity().stream().map(b -> b.start().toString()).toList());
    chart.put("messages", view.activity().stream().map(Dashboard.Bucket::messages).toList());
    chart.put("done", view.activity().stream().map(Dashboard.Bucket::done).toList());
    chart.put("missed", view.activity().stream().map(Dashboard.Bucket::missed).toList());
    chart.put("cases", view.activity().stream().map(Dashboard.Bucket::casesOpened).toList());
    chart.put(
        "funnel",
        view.funnel().stream().map(s -> Map.of("name", s.name(), "value", s.plans())).toList());
    var lanes = new ArrayList<Map<String, Object>>();
    view.figure("first-response-by-lane")
        .now()
        .byGroup()
        .forEach((lane, v) ->
            v.median()
                .ifPresent(m -> lanes.add(Map.of("lane", lane, "hours", m.toMinutes() / 60.0))));
    chart.put("lanes", lanes);
    return chart;
  }

  /** Every figure of the period and the one before, as CSV: one row per figure and group. */
  @GetMapping(path = "/dashboard.csv", produces = "text/csv;charset=UTF-8")
  void csv(
      Principal principal,
      @RequestParam Optional<String> from,
      @RequestParam Optional<String> to,
      HttpServletResponse response)
      throws IOException {
    var me = me(principal);
    var period = checked(me, from, to);
    var view = Dashboard.of(facts(me, period), period);
    var out =
        Downloads.attachment(
            response, "text/csv", "dashboard-" + period.from() + "-" + period.to() + ".csv");
    var csv =
        new CsvExport(
            out,
            "program",
            "figure",
            "group",
            "from",
            "to",
            "value",
            "counted",
            "of",
            "previous_value",
            "previous_counted",
            "previous_of",
            "definition");
    for (var section : view.sections())
      for (var f : section.figures()) {
        var before = f.before().byGroup();
        var groups = new LinkedHashMap<String, org.careloop.app.reports.Value>();
        groups.put("", f.now());
        if (f.metric().groupedBy().isPresent()) groups.putAll(f.now().byGroup());
        for (var g : groups.entrySet()) {
          var was = g.getKey().isEmpty() ? f.before() : before.get(g.getKey());
          csv.row(
              section.program(),
              f.metric().title(),
              g.getKey().isEmpty() ? "all" : g.getKey(),
              period.from(),
              period.to(),
              Shown.value(g.getValue(), period),
              g.getValue().counted(),
              g.getValue().of(),
              was == null ? "" : Shown.value(was, period.previous()),
              was == null ? "" : was.counted(),
              was == null ? "" : was.of(),
              f.metric().definition());
        }
      }
    csv.flush();
  }

  /** The activity table and the funnel of the period as CSV: the numbers the charts draw. */
  @GetMapping(path = "/dashboard/activity.csv", produces = "text/csv;charset=UTF-8")
  void activityCsv(
      Principal principal,
      @RequestParam Optional<String> from,
      @RequestParam Optional<String> to,
      HttpServletResponse response)
      throws IOException {
    var me = me(principal);
    var period = checked(me, from, to);
    var view = Dashboard.of(facts(me, period), period);
    var out =
        Downloads.attachment(
            response, "text/csv", "activity-" + period.from() + "-" + period.to() + ".csv");
    var csv =
        new CsvExport(
            out,
            view.weekly() ? "week_from" : "day",
            "messages_sent",
            "steps_done",
            "steps_missed",
            "cases_opened");
    for (var b : view.activity())
      csv.row(b.start(), b.messages(), b.done(), b.missed(), b.casesOpened());
    csv.flush();
    out.println();
    var funnel = new CsvExport(out, "dental_plans_presented_in_the_period", "plans");
    for (var s : view.funnel()) funnel.row(s.name(), s.plans());
    funnel.flush();
  }

  private Period checked(Person me, Optional<String> from, Optional<String> to) {
    try {
      return period(me, from, to);
    } catch (BadPeriod e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
  }

  private Metric metric(String id) {
    return Dashboard.metric(id)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such figure"));
  }

  /** The patients behind one figure in the period: audited. */
  @GetMapping("/dashboard/figures/{id}")
  String figure(
      Principal principal,
      @PathVariable String id,
      @RequestParam Optional<String> from,
      @RequestParam Optional<String> to,
      Model model) {
    var me = me(principal);
    var metric = metric(id);
    var period = checked(me, from, to);
    var behind = Dashboard.behind(facts(me, period), metric, period);
    audit(me, "dashboard.figure.view", metric, period, behind.size());
    model.addAttribute("me", me);
    model.addAttribute("practice", careloop.practice(me.practiceId()));
    model.addAttribute("metric", metric);
    model.addAttribute("period", period);
    model.addAttribute("behind", behind);
    model.addAttribute("amounts", amounts(metric, behind));
    return "dashboard-figure";
  }

  /** The same patients as CSV: audited. */
  @GetMapping(path = "/dashboard/figures/{id}.csv", produces = "text/csv;charset=UTF-8")
  void figureCsv(
      Principal principal,
      @PathVariable String id,
      @RequestParam Optional<String> from,
      @RequestParam Optional<String> to,
      HttpServletResponse response)
      throws IOException {
    var me = me(principal);
    var metric = metric(id);
    var period = checked(me, from, to);
    var behind = Dashboard.behind(facts(me, period), metric, period);
    audit(me, "dashboard.figure.csv", metric, period, behind.size());
    var out =
        Downloads.attachment(
            response, "text/csv", metric.id() + "-" + period.from() + "-" + period.to() + ".csv");
    var csv =
        new CsvExport(
            out, "patient", "patient_ref", "plan_id", "program", "group", "counted", "amount");
    var amounts = amounts(metric, behind);
    for (int i = 0; i < behind.size(); i++) {
      var b = behind.get(i);
      csv.row(
          b.patient(),
          b.ref(),
          b.planId(),
          b.protocol(),
          b.group(),
          b.counted() ? "yes" : "no",
          amounts.get(i));
    }
    csv.flush();
  }

  /** Each patient's amount in words, as the figure's kind says. */
  static List<String> amounts(Metric metric, List<Dashboard.Behind> behind) {
    return behind.stream()
        .map(b ->
            switch (metric.kind()) {
              case DURATION ->
                  b.counted() ? Shown.duration(java.time.Duration.ofSeconds(b.amount())) : "";
              case MONEY -> b.counted() ? Shown.money(b.amount()) : "";
              case HOURS, HOURS_PER_WEEK -> b.amount() + " min";
              case SHARE, COUNT -> "";
            })
        .toList();
  }

  private void audit(Person me, String action, Metric metric, Period period, int patients) {
    careloop
        .administration()
        .audit(
            me.username(),
            Optional.of(me.practiceId()),
            action,
            metric.id() + " " + period.from() + ".." + period.to() + ", " + patients + " row(s)",
            careloop.clock().instant());
  }

  /** A week's figures on one printable page: the week (Monday to Sunday) holding {@code week}. */
  @GetMapping("/dashboard/print")
  String print(Principal principal, @RequestParam Optional<String> week, Model model) {
    var me = me(principal);
    LocalDate day;
    try {
      day = date("week", week).orElse(today(me).minusWeeks(1));
    } catch (BadPeriod e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    var monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    var period = new Period(monday, monday.plusDays(6), careloop.practice(me.practiceId()).zone());
    var view = Dashboard.of(facts(me, period), period);
    model.addAttribute("me", me);
    model.addAttribute("practice", careloop.practice(me.practiceId()));
    model.addAttribute("period", period);
    model.addAttribute("view", view);
    model.addAttribute("rows", rows(view));
    model.addAttribute("madeAt", careloop.clock().instant());
    return "dashboard-print";
  }
}
