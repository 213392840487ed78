package org.careloop.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.app.WorkItem;
import org.careloop.app.casework.WorklistView;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The worklist's links, each keeping what the person chose (filters, view, search): the two views,
 * each column's sort, and the pages before and after.
 *
 * @param mine the person's own cases
 * @param team the team's cases
 * @param columns the table's headings, each with the link that sorts by it
 * @param previous the page before, if any
 * @param next the page after, if any
 * @param here this page, to come back to after an action
 */
record WorklistLinks(
    String mine,
    String team,
    List<Column> columns,
    Optional<String> previous,
    Optional<String> next,
    String here) {

  /**
   * A column heading: its words, the link that sorts by it (a second click on the current sort
   * reverses it), and its {@code aria-sort} state.
   */
  record Column(String label, String href, String ariaSort) {}

  static WorklistLinks of(WorkItem.Filter filter, WorklistView.Query q, WorklistView.Page shown) {
    var columns = new ArrayList<Column>();
    for (var s : WorklistView.Sort.values()) {
      boolean current = s == q.sort();
      columns.add(
          new Column(
              label(s),
              link(filter, q.mine(), q.search(), s, current && !q.descending(), 1),
              current ? (q.descending() ? "descending" : "ascending") : "none"));
    }
    return new WorklistLinks(
        link(filter, true, q.search(), q.sort(), q.descending(), 1),
        link(filter, false, q.search(), q.sort(), q.descending(), 1),
        List.copyOf(columns),
        shown.page() > 1
            ? Optional.of(
                link(filter, q.mine(), q.search(), q.sort(), q.descending(), shown.page() - 1))
            : Optional.empty(),
        shown.page() < shown.pages()
            ? Optional.of(
                link(filter, q.mine(), q.search(), q.sort(), q.descending(), shown.page() + 1))
            : Optional.empty(),
        link(filter, q.mine(), q.search(), q.sort(), q.descending(), shown.page()));
  }

  private static String label(WorklistView.Sort s) {
    return switch (s) {
      case RANK -> "Tier";
      case RESPOND_BY -> "Respond by";
      case PATIENT -> "Patient";
      case CASE -> "Case";
      case LANE -> "Lane";
      case OWNER -> "Owner";
    };
  }

  private static String link(
      WorkItem.Filter f,
      boolean mine,
      Optional<String> search,
      WorklistView.Sort sort,
      boolean descending,
      int page) {
    var b = UriComponentsBuilder.fromPath("/work");
    f.lane().ifPresent(v -> b.queryParam("lane", v));
    f.priority().ifPresent(v -> b.queryParam("priority", v));
    f.owner().ifPresent(v -> b.queryParam("owner", v));
    f.olderThanDays().ifPresent(v -> b.queryParam("olderThanDays", v));
    b.queryParam("view", mine ? "mine" : "team");
    search.ifPresent(v -> b.queryParam("q", v));
    if (sort != WorklistView.Sort.RANK) b.queryParam("sort", sort.param());
    if (descending) b.queryParam("dir", "desc");
    if (page > 1) b.queryParam("page", page);
    return b.encode().build().toUriString();
  }
}
