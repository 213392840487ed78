package org.careloop.app.casework;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.careloop.app.WorkItem;

/**
 * Who carries what: the practice's open cases per person and lane (open, overdue, due by the end of
 * today in the practice's zone), and how long the open cases have been waiting.
 *
 * @param rows one per person (or "No owner yet") and lane, people in name order
 * @param ageing open cases by how long ago they were opened, youngest first
 */
public record Workload(List<Row> rows, Map<String, Long> ageing) {

  /** The row's name for cases nobody owns yet. */
  public static final String NO_OWNER = "No owner yet";

  /**
   * One person's open cases in one lane.
   *
   * @param dueToday not yet overdue, and due by the end of today in the practice's zone
   */
  public record Row(String owner, String lane, int open, int overdue, int dueToday) {}

  /** The age buckets, youngest first. */
  public static final List<String> AGES =
      List.of("under 1 day", "1 to 3 days", "4 to 7 days", "over 7 days");

  /** The workload of the open cases {@code items} at {@code now}. */
  public static Workload of(List<WorkItem> items, Instant now, ZoneId zone) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    record Key(String owner, String lane) {}
    var counts =
        new TreeMap<Key, int[]>(
            Comparator.comparing((Key k) -> k.owner().equals(NO_OWNER) ? "\uffff" : k.owner())
                .thenComparing(Key::lane));
    var ageing = new LinkedHashMap<String, Long>();
    for (String a : AGES) ageing.put(a, 0L);
    for (var i : items) {
      var c =
          counts.computeIfAbsent(new Key(i.owner().orElse(NO_OWNER), i.lane()), k -> new int[3]);
      c[0]++;
      if (i.overdue()) c[1]++;
      else if (!LocalDate.ofInstant(i.respondBy(), zone).isAfter(today)) c[2]++;
      ageing.merge(age(Duration.between(i.createdAt(), now)), 1L, Long::sum);
    }
    var rows = new ArrayList<Row>();
    counts.forEach((k, c) -> rows.add(new Row(k.owner(), k.lane(), c[0], c[1], c[2])));
    return new Workload(List.copyOf(rows), java.util.Collections.unmodifiableMap(ageing));
  }

  private static String age(Duration waited) {
    long days = waited.toDays();
    if (days < 1) return AGES.get(0);
    if (days <= 3) return AGES.get(1);
    if (days <= 7) return AGES.get(2);
    return AGES.get(3);
  }
}
