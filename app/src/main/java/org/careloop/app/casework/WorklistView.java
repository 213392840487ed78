package org.careloop.app.casework;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.careloop.app.Person;
import org.careloop.app.WorkItem;

/**
 * One page of a worklist as a person asked for it: their cases or the team's, those matching a
 * search (a name, an MRN or other identifier at the source, a phone number), sorted by a column, 50
 * to a page. The counts are of every case the view holds, not of the page.
 */
public final class WorklistView {
  /** Cases on one page. */
  public static final int PAGE_SIZE = 50;

  /** Roles that open on their own cases; the others (managers, providers) on the team's. */
  static final Set<String> MINE_FIRST = Set.of("coordinator", "front-desk", "nurse");

  private WorklistView() {}

  /** The columns a worklist sorts by; {@link #RANK} is the ranking: tier, then respond-by. */
  public enum Sort {
    RANK,
    RESPOND_BY,
    PATIENT,
    CASE,
    LANE,
    OWNER;

    /** The sort a request names (its lower-case name, {@code respond-by}), else the ranking. */
    public static Sort of(Optional<String> name) {
      return name.map(n -> n.toUpperCase(Locale.ROOT).replace('-', '_'))
          .flatMap(
              n -> java.util.Arrays.stream(values()).filter(s -> s.name().equals(n)).findFirst())
          .orElse(RANK);
    }

    /** How it is written in a link. */
    public String param() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * What a person asked for.
   *
   * @param mine their cases (owned by them, or unclaimed ones of their role) rather than the team's
   * @param page from 1
   */
  public record Query(
      boolean mine, Optional<String> search, Sort sort, boolean descending, int page) {

    /** The view a person opens with: their own cases if their role works cases, else the team's. */
    public static boolean mineByDefault(Person p) {
      return MINE_FIRST.contains(p.role());
    }
  }

  /**
   * A page of cases.
   *
   * @param total the cases in the view (every page)
   * @param overdueByTier the view's overdue cases by tier, most urgent first
   */
  public record Page(
      List<WorkItem> items,
      int total,
      int page,
      int pages,
      long overdue,
      Map<String, Long> overdueByTier) {}

  /** The page {@code q} asks for of the practice's open cases {@code all}, seen by {@code me}. */
  public static Page of(List<WorkItem> all, Query q, Person me) {
    var matching =
        all.stream()
            .filter(i -> !q.mine() || isMine(i, me))
            .filter(i -> q.search().map(s -> matches(i, s)).orElse(true))
            .sorted(q.descending() ? comparator(q.sort()).reversed() : comparator(q.sort()))
            .toList();
    int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int page = Math.min(Math.max(1, q.page()), pages);
    var overdueByTier = new TreeMap<String, Long>(Comparator.comparingInt(WorklistView::tierRank));
    for (var i : matching) if (i.overdue()) overdueByTier.merge(i.priority(), 1L, Long::sum);
    return new Page(
        matching.subList((page - 1) * PAGE_SIZE, Math.min(matching.size(), page * PAGE_SIZE)),
        matching.size(),
        page,
        pages,
        matching.stream().filter(WorkItem::overdue).count(),
        overdueByTier);
  }

  /** Owned by {@code me} (or by someone {@code me} stands in for), or unclaimed in their role. */
  static boolean isMine(WorkItem i, Person me) {
    return i.ownerUsername().map(me.username()::equals).orElse(false)
        || (i.ownerUsername().isEmpty() && i.ownerRole().filter(me.role()::equals).isPresent());
  }

  /**
   * Whether a case matches what was typed: every word of it in the patient's name, or the
   * identifier at the source, or a date of birth (2026-03-12 or 3/12/2026), or (four digits or
   * more) the phone number's digits.
   */
  static boolean matches(WorkItem i, String typed) {
    String t = typed.strip().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) return true;
    String name = i.patient().toLowerCase(Locale.ROOT);
    if (java.util.Arrays.stream(t.split("\\s+")).allMatch(name::contains)) return true;
    String ref = i.patientRef().toLowerCase(Locale.ROOT);
    if (ref.equals(t) || ref.endsWith("/" + t)) return true;
    var day = date(t);
    if (day.isPresent()) return i.birthDate().equals(day);
    String digits = t.replaceAll("[^0-9]", "");
    return digits.length() >= 4
        && t.replaceAll("[0-9()+.\\s-]", "").isEmpty()
        && i.phone().map(p -> p.replaceAll("[^0-9]", "").contains(digits)).orElse(false);
  }

  private static final List<java.time.format.DateTimeFormatter> DATES =
      List.of(
          java.time.format.DateTimeFormatter.ISO_LOCAL_DATE,
          java.time.format.DateTimeFormatter.ofPattern("M/d/uuuu"));

  /** What was typed as a date, if it is one. */
  static Optional<java.time.LocalDate> date(String typed) {
    for (var f : DATES) {
      try {
        return Optional.of(java.time.LocalDate.parse(typed, f));
      } catch (java.time.format.DateTimeParseException e) {
        // not in this form
      }
    }
    return Optional.empty();
  }

  private static int tierRank(String priority) {
    return switch (priority) {
      case "URGENT" -> 0;
      case "HIGH" -> 1;
      default -> 2;
    };
  }

  private static Comparator<WorkItem> comparator(Sort sort) {
    Comparator<WorkItem> rank =
        Comparator.comparingInt((WorkItem i) -> tierRank(i.priority()))
            .thenComparing(WorkItem::respondBy)
            .thenComparingLong(WorkItem::taskId);
    Comparator<WorkItem> first =
        switch (sort) {
          case RANK -> rank;
          case RESPOND_BY -> Comparator.comparing(WorkItem::respondBy);
          case PATIENT ->
              Comparator.comparing((WorkItem i) -> i.patient().toLowerCase(Locale.ROOT));
          case CASE -> Comparator.comparing((WorkItem i) -> i.title().toLowerCase(Locale.ROOT));
          case LANE -> Comparator.comparing(WorkItem::lane);
          case OWNER -> Comparator.comparing((WorkItem i) -> i.owner().orElse("\uffff"));
        };
    return first.thenComparing(rank);
  }
}
