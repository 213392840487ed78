package org.careloop.app.reports;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.app.CareGapReports.CareGapReport;
import org.careloop.app.CareGapReports.Notice;
import org.careloop.app.CareGapReports.ReportSummary;
import org.careloop.app.Person;
import org.careloop.app.Protocols;
import org.careloop.app.Reads;
import org.careloop.app.Store;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly care-gap report: made by careloop for each practice on the practice's chosen day from
 * 07:00 in its zone (or at the first run after, when careloop was down), kept, and announced once
 * to the practice's managers by email with a link and no patient data.
 */
public final class WeeklyCareGapReport {
  private static final Logger log = LoggerFactory.getLogger(WeeklyCareGapReport.class);

  /** The practice's local time from which the week's report is made on its day. */
  public static final LocalTime MADE_FROM = LocalTime.of(7, 0);

  /** Who is told of a new report. */
  public static final String TOLD = "manager";

  private final Store store;
  private final Reads reads;
  private final Protocols protocols;
  private final ChannelSender email;
  private final String publicUrl;

  /**
   * @param email the email channel the notices go by
   * @param publicUrl where people reach careloop's pages; the notice links to the report there
   */
  public WeeklyCareGapReport(
      Store store, Reads reads, Protocols protocols, ChannelSender email, String publicUrl) {
    this.store = store;
    this.reads = reads;
    this.protocols = protocols;
    this.email = email;
    this.publicUrl = publicUrl;
  }

  /** What one run did: reports made, notices sent. */
  public record Run(int made, int notified) {}

  /** Makes each practice's report that is due and not made, then sends the notices pending. */
  public Run run(Instant now) {
    int made = 0;
    for (var practiceId : store.inTransaction(Store.Tx::practiceIds))
      if (makeDue(practiceId, now).isPresent()) made++;
    return new Run(made, announce());
  }

  /**
   * The week a report made at {@code now} belongs to: the latest report day whose 07:00 in {@code
   * zone} is not after {@code now}.
   */
  public static LocalDate weekOf(Instant now, DayOfWeek day, ZoneId zone) {
    var local = now.atZone(zone);
    var week = local.toLocalDate().with(TemporalAdjusters.previousOrSame(day));
    if (week.atTime(MADE_FROM).atZone(zone).toInstant().isAfter(now)) week = week.minusWeeks(1);
    return week;
  }

  /**
   * Makes the practice's report for the current week unless it was made.
   *
   * @return the week, when this call made its report
   */
  public Optional<LocalDate> makeDue(String practiceId, Instant now) {
    var settings = store.inTransaction(tx -> tx.settings(practiceId));
    var week = weekOf(now, settings.careGapReportDay(), settings.practice().zone());
    if (store.inTransaction(tx -> tx.careGapReport(practiceId, week)).isPresent())
      return Optional.empty();
    var gaps = reads.careGaps(now, protocols::of, Optional.of(practiceId));
    boolean kept =
        store.inTransaction(
            tx -> tx.saveCareGapReport(new CareGapReport(practiceId, week, now, gaps)));
    if (!kept) return Optional.empty();
    log.info("made the care-gap report of practice {} for the week of {}", practiceId, week);
    return Optional.of(week);
  }

  /**
   * Sends each pending notice once: marked {@code SENDING} and committed before the mail server is
   * called; a crash in between leaves it unsent rather than sent twice.
   *
   * @return notices sent
   */
  public int announce() {
    List<ReportSummary> claimed =
        store.inTransaction(tx -> {
          var pending = tx.pendingReportNotices(20);
          for (var r : pending) tx.markReportNotice(r.practiceId(), r.weekOf(), Notice.SENDING);
          return pending;
        });
    int sent = 0;
    for (var report : claimed) {
      var notice =
          store.inTransaction(tx -> {
            var to = managersToTell(tx.people(report.practiceId()));
            if (to.isEmpty()) return Notice.NONE;
            var practice = tx.practice(report.practiceId());
            try {
              for (var person : to)
                email.send(tx, message(report, practice.name(), person, publicUrl));
              return Notice.SENT;
            } catch (RuntimeException e) {
              // The class only: a mail server's answer can quote an address.
              log.warn(
                  "the care-gap report notice of practice {} failed ({})",
                  report.practiceId(),
                  e.getClass().getName());
              return Notice.FAILED;
            }
          });
      store.inTransaction(tx -> {
        tx.markReportNotice(report.practiceId(), report.weekOf(), notice);
        return null;
      });
      if (notice == Notice.SENT) sent++;
    }
    return sent;
  }

  static List<Person> managersToTell(List<Person> people) {
    var out = new ArrayList<Person>();
    for (var p : people) if (p.role().equals(TOLD) && p.email().isPresent()) out.add(p);
    return out;
  }

  /** The notice: the practice, the week, how many gaps and the link; never a patient. */
  static Message message(ReportSummary report, String practiceName, Person to, String publicUrl) {
    return new Message(
        "care-gap-report:" + report.practiceId() + ":" + report.weekOf() + ":" + to.username(),
        "EMAIL",
        to.email().orElseThrow(),
        Optional.of("Care-gap report for the week of " + report.weekOf()),
        "The weekly care-gap report of "
            + practiceName
            + " for the week of "
            + report.weekOf()
            + " is ready: "
            + report.gaps()
            + (report.gaps() == 1 ? " open care gap." : " open care gaps.")
            + "\n\nOpen it after signing in: "
            + publicUrl
            + "/work/reports/care-gaps/"
            + report.weekOf(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
