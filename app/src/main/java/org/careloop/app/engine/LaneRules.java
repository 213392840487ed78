package org.careloop.app.engine;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.careloop.app.TaskRecord;
import org.careloop.core.Lane;
import org.careloop.core.Priority;

/**
 * The coordinator lanes: for each, the lowest priority tier its tasks take, who owns them, who is
 * the backup, and who a task goes to when its response window passes. Response windows count in the
 * practice's business days: by default urgent the same day, high the next business day, routine
 * within 3 business days.
 *
 * @param windows per tier: {@code same-day}, {@code next-business-day}, {@code N-business-days} or
 *     {@code Nh}
 * @param worseSymptomsTo the role told at once when a patient reports worse symptoms
 */
public record LaneRules(
    BusinessHours hours,
    Map<Priority, String> windows,
    Map<Lane, LaneRule> lanes,
    String worseSymptomsTo) {

  /** When the practice works. */
  public record BusinessHours(Set<DayOfWeek> days, LocalTime open, LocalTime close) {
    public BusinessHours {
      days = Set.copyOf(days);
      if (days.isEmpty() || !open.isBefore(close))
        throw new IllegalArgumentException("business hours need days and open before close");
    }
  }

  /** One lane's rule. */
  public record LaneRule(Priority floor, String owner, String backup, String escalateTo) {}

  /** The roles a task can go to. */
  public static final Set<String> ROLES =
      Set.of("coordinator", "front-desk", "nurse", "provider", "manager");

  /** A response window as written: same-day, next-business-day, N-business-days, Nh. */
  public static final Pattern WINDOW_TEXT =
      Pattern.compile("same-day|next-business-day|([0-9]+)-business-days|([0-9]+)h");

  public LaneRules {
    windows = Map.copyOf(windows);
    lanes = Map.copyOf(lanes);
    for (var w : windows.values())
      if (!WINDOW_TEXT.matcher(w).matches())
        throw new IllegalArgumentException("not a response window: " + w);
    for (var p : Priority.values())
      if (!windows.containsKey(p)) throw new IllegalArgumentException("no window for " + p);
  }

  /** The defaults, for a practice that has not written its own. */
  public static LaneRules defaults() {
    var lanes = new EnumMap<Lane, LaneRule>(Lane.class);
    lanes.put(Lane.REFERRAL, new LaneRule(Priority.ROUTINE, "coordinator", "nurse", "provider"));
    lanes.put(Lane.POST_VISIT, new LaneRule(Priority.ROUTINE, "coordinator", "nurse", "nurse"));
    lanes.put(
        Lane.MISSED_APPOINTMENT,
        new LaneRule(Priority.ROUTINE, "coordinator", "front-desk", "nurse"));
    lanes.put(Lane.DISCHARGE, new LaneRule(Priority.HIGH, "nurse", "coordinator", "provider"));
    lanes.put(
        Lane.PRIOR_AUTHORIZATION,
        new LaneRule(Priority.ROUTINE, "coordinator", "manager", "manager"));
    lanes.put(
        Lane.TELEHEALTH_READINESS,
        new LaneRule(Priority.ROUTINE, "front-desk", "coordinator", "manager"));
    lanes.put(
        Lane.PREVENTIVE_RECALL,
        new LaneRule(Priority.ROUTINE, "front-desk", "coordinator", "manager"));
    lanes.put(Lane.MONITORING, new LaneRule(Priority.ROUTINE, "nurse", "coordinator", "provider"));
    lanes.put(
        Lane.UNACCEPTED_TREATMENT,
        new LaneRule(Priority.ROUTINE, "front-desk", "coordinator", "manager"));
    lanes.put(Lane.PROVIDER_REVIEW, new LaneRule(Priority.HIGH, "provider", "nurse", "manager"));
    return new LaneRules(
        new BusinessHours(
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            LocalTime.of(8, 0),
            LocalTime.of(17, 0)),
        Map.of(
            Priority.URGENT, "same-day",
            Priority.HIGH, "next-business-day",
            Priority.ROUTINE, "3-business-days"),
        lanes,
        "provider");
  }

  public LaneRule rule(Lane lane) {
    var r = lanes.get(lane);
    return r != null ? r : new LaneRule(Priority.ROUTINE, "coordinator", "nurse", "manager");
  }

  /** The more urgent of the task's own tier and the lane's floor. */
  public Priority priority(Lane lane, Priority asked) {
    var floor = rule(lane).floor();
    return asked.compareTo(floor) <= 0 ? asked : floor;
  }

  /**
   * When a task of this tier created at {@code created} must be answered: the close of business on
   * the day its window ends, in the practice's zone, skipping weekends and holidays.
   */
  public Instant respondBy(
      Priority priority, Instant created, ZoneId zone, Set<LocalDate> holidays) {
    var m = WINDOW_TEXT.matcher(windows.get(priority));
    if (!m.matches()) throw new IllegalStateException("bad window " + windows.get(priority));
    if (m.group(2) != null) return created.plus(Duration.ofHours(Long.parseLong(m.group(2))));
    int businessDays =
        m.group(0).equals("same-day")
            ? 0
            : m.group(0).equals("next-business-day") ? 1 : Integer.parseInt(m.group(1));
    return closeOfBusiness(created, businessDays, zone, holidays);
  }

  /**
   * When a case is next due after a call that did not reach the patient: the close of business on
   * the target date the person gave (on the business calendar, never before today's close), else
   * the tier's window counted from now.
   */
  public Instant nextAttempt(
      Priority priority,
      Instant now,
      java.util.Optional<LocalDate> target,
      ZoneId zone,
      Set<LocalDate> holidays) {
    return target
        .map(d ->
            onTheCalendar(d.atTime(hours.close()).atZone(zone).toInstant(), now, zone, holidays))
        .orElseGet(() -> respondBy(priority, now, zone, holidays));
  }

  /**
   * The close of business {@code businessDays} business days after the day {@code created} starts
   * on (that day, or the next business day when it arrives after closing or on a day off).
   */
  private Instant closeOfBusiness(
      Instant created, int businessDays, ZoneId zone, Set<LocalDate> holidays) {
    ZonedDateTime at = created.atZone(zone);
    LocalDate day = at.toLocalDate();
    // A task that arrives after closing, or on a day off, starts on the next business day.
    boolean startsToday = isBusinessDay(day, holidays) && at.toLocalTime().isBefore(hours.close());
    if (!startsToday) {
      day = nextBusinessDay(day, holidays);
    }
    for (int i = 0; i < businessDays; i++) day = nextBusinessDay(day, holidays);
    return day.atTime(hours.close()).atZone(zone).toInstant();
  }

  /**
   * A time the rules asked for, on the business calendar: the close of its own business day, or of
   * the last business day before it when it falls on a day off or before opening; never before the
   * close of the day the task starts on. Nothing is due, so nothing escalates, outside business
   * hours.
   */
  Instant onTheCalendar(Instant asked, Instant created, ZoneId zone, Set<LocalDate> holidays) {
    var at = asked.atZone(zone);
    LocalDate day = at.toLocalDate();
    if (!isBusinessDay(day, holidays) || at.toLocalTime().isBefore(hours.open())) {
      day = day.minusDays(1);
      while (!isBusinessDay(day, holidays)) day = day.minusDays(1);
    }
    var close = day.atTime(hours.close()).atZone(zone).toInstant();
    var earliest = closeOfBusiness(created, 0, zone, holidays);
    return close.isBefore(earliest) ? earliest : close;
  }

  private boolean isBusinessDay(LocalDate day, Set<LocalDate> holidays) {
    return hours.days().contains(day.getDayOfWeek()) && !holidays.contains(day);
  }

  private LocalDate nextBusinessDay(LocalDate day, Set<LocalDate> holidays) {
    var d = day.plusDays(1);
    while (!isBusinessDay(d, holidays)) d = d.plusDays(1);
    return d;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** A task as the lanes shape it: tier, response window, owner and backup. */
  public TaskRecord shape(TaskRecord t, ZoneId zone, Set<LocalDate> holidays) {
    var lane = Lane.valueOf(t.lane());
    var priority = priority(lane, Priority.valueOf(t.priority()));
    var byLane = respondBy(priority, t.createdAt(), zone, holidays);
    var rule = rule(lane);
    return new TaskRecord(
        t.idempotencyKey(),
        t.planId(),
        t.patientId(),
        t.lane(),
        priority.name(),
        t.title(),
        t.detail(),
        earlier(onTheCalendar(t.respondBy(), t.createdAt(), zone, holidays), byLane),
        t.createdAt(),
        t.status(),
        t.milestoneKey(),
        rule.owner(),
        rule.backup(),
        t.escalatedTo(),
        t.need());
  }
}
