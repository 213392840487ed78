package org.careloop.server;

import java.io.IOException;
import java.security.Principal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.careloop.adapters.csv.CareGapCsv;
import org.careloop.adapters.fhir.DeqmCareGaps;
import org.careloop.app.CareGapReports.CareGapReport;
import org.careloop.app.Person;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The weekly care-gap reports careloop made for the signed-in manager's practice: the list, one
 * report as a page, as CSV and as a DEQM gaps-in-care document. Every view and download is audited;
 * another practice's report is the same answer as one never made.
 */
@Controller
public class ReportsController {
  private final Careloop careloop;

  public ReportsController(Careloop careloop) {
    this.careloop = careloop;
  }

  /** A week with no report of the person's practice: the same answer as another's report. */
  @ResponseStatus(HttpStatus.NOT_FOUND)
  static final class NoSuchReport extends RuntimeException {
    NoSuchReport() {
      super("no such report");
    }
  }

  @ExceptionHandler(NoSuchReport.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String noSuchReport(Model model) {
    model.addAttribute("message", "There is no such report in your practice.");
    return "notfound";
  }

  private Person me(Principal principal) {
    return WorkspaceController.signedIn(careloop, principal);
  }

  /** The practice's weekly reports, newest first. */
  @GetMapping("/work/reports")
  String reports(Principal principal, Model model) {
    var me = me(principal);
    var settings = careloop.administration().settings(me.practiceId());
    model.addAttribute("me", me);
    model.addAttribute("practice", settings.practice());
    model.addAttribute("day", settings.careGapReportDay());
    model.addAttribute(
        "reports", careloop.store().inTransaction(tx -> tx.careGapReports(me.practiceId())));
    return "reports";
  }

  /** One week's report as a page. */
  @GetMapping("/work/reports/care-gaps/{week}")
  String report(Principal principal, @PathVariable String week, Model model) {
    var me = me(principal);
    var report = report(me, week, "view");
    model.addAttribute("me", me);
    model.addAttribute("practice", careloop.practice(me.practiceId()));
    model.addAttribute("report", report);
    return "report";
  }

  /** One week's report as CSV. */
  @GetMapping(path = "/work/reports/care-gaps/{week}.csv", produces = "text/csv;charset=UTF-8")
  void csv(
      Principal principal,
      @PathVariable String week,
      jakarta.servlet.http.HttpServletResponse response)
      throws IOException {
    var report = report(me(principal), week, "csv");
    var out = Downloads.attachment(response, "text/csv", fileName(report, "csv"));
    CareGapCsv.write(out, report.gaps());
    out.flush();
  }

  /** One week's report as the DEQM gaps-in-care answer: one document Bundle per patient. */
  @GetMapping(path = "/work/reports/care-gaps/{week}.json", produces = "application/fhir+json")
  void deqm(
      Principal principal,
      @PathVariable String week,
      jakarta.servlet.http.HttpServletResponse response)
      throws IOException {
    var me = me(principal);
    var report = report(me, week, "deqm");
    var out = Downloads.attachment(response, "application/fhir+json", fileName(report, "json"));
    out.write(DeqmCareGaps.json(report, careloop.practice(me.practiceId()).name()));
    out.flush();
  }

  /** The report's file name: its week and the format's extension. */
  private static String fileName(CareGapReport report, String extension) {
    return "care-gaps-" + report.weekOf() + "." + extension;
  }

  /** The practice's report of that week, audited as {@code how}; 404 when there is none. */
  private CareGapReport report(Person me, String week, String how) {
    LocalDate weekOf;
    try {
      weekOf = LocalDate.parse(week);
    } catch (DateTimeParseException e) {
      throw new NoSuchReport();
    }
    var report =
        careloop
            .store()
            .inTransaction(tx -> tx.careGapReport(me.practiceId(), weekOf))
            .orElseThrow(NoSuchReport::new);
    careloop
        .administration()
        .audit(
            me.username(),
            Optional.of(me.practiceId()),
            "care-gaps.report." + how,
            "week of " + weekOf + ", " + report.gaps().size() + " gap(s)",
            careloop.clock().instant());
    return report;
  }
}
