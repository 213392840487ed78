package org.careloop.app.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.careloop.app.EhrConnection;
import org.careloop.app.OutboxItem;
import org.careloop.app.Store;
import org.careloop.core.Lane;

/**
 * A case's copy in the EHR, written through the outbox: a provider review as a FHIR {@code Flag}
 * (always; in the sandbox without a connected EHR, as every write-back), a case for staff as a
 * {@code Task} where the practice keeps its staff's work in the EHR's task list ({@link
 * EhrConnection#staffTasks}). Each change of the case (opened, brought up to date, closed) queues a
 * write; the write sends the case as it stands when it goes out, so writes that go out late or
 * twice leave the EHR's copy as the case is.
 */
public final class CaseWrites {
  private CaseWrites() {}

  /** What the outbox key of a case's write ends with before its change: {@code :ehr:}. */
  public static final String MARK = ":ehr:";

  /** The case a write's outbox key is of: the key up to its {@link #MARK}. */
  public static Optional<String> caseKey(String outboxKey) {
    int at = outboxKey.lastIndexOf(MARK);
    return at > 0 ? Optional.of(outboxKey.substring(0, at)) : Optional.empty();
  }

  /** Queues the EHR's copy of each newly opened case (by its key) that has one. */
  public static void opened(Store.Tx tx, Collection<String> caseKeys, Instant now) {
    var items = new ArrayList<OutboxItem>();
    for (String key : caseKeys)
      tx.caseState(key).flatMap(c -> write(tx, c, "opened", now)).ifPresent(items::add);
    enqueue(tx, items);
  }

  /**
   * Queues the writes not queued already: a case changed twice at one instant (two facts of one
   * decision) needs one write, which sends the case as it stands.
   */
  private static void enqueue(Store.Tx tx, List<OutboxItem> items) {
    var fresh =
        items.stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    OutboxItem::idempotencyKey, i -> i, (a, b) -> a, java.util.LinkedHashMap::new))
            .values()
            .stream()
            .filter(i -> !tx.queued(i.idempotencyKey()))
            .toList();
    if (!fresh.isEmpty()) tx.enqueue(fresh);
  }

  /** Queues a write of the case's copy after a change ({@code closed}, {@code updated}). */
  public static void changed(Store.Tx tx, long caseId, String change, Instant now) {
    tx.caseState(caseId)
        .flatMap(c -> write(tx, c, change + ":" + now.toEpochMilli(), now))
        .ifPresent(item -> enqueue(tx, List.of(item)));
  }

  private static Optional<OutboxItem> write(
      Store.Tx tx, Store.Tasks.CaseState c, String change, Instant now) {
    OutboxItem.Kind kind;
    if (c.lane().equals(Lane.PROVIDER_REVIEW.name())) kind = OutboxItem.Kind.EHR_FLAG;
    else if (tx.connections(c.practiceId()).stream().anyMatch(e -> e.active() && e.staffTasks()))
      kind = OutboxItem.Kind.EHR_TASK;
    else return Optional.empty();
    String text =
        "careloop: "
            + (kind == OutboxItem.Kind.EHR_FLAG ? "" : "task: ")
            + c.title()
            + (c.open() ? "" : " (closed: " + c.closeReason().orElse("closed") + ")");
    return Optional.of(
        new OutboxItem(
            0,
            c.key() + MARK + change,
            Optional.of(c.planId()),
            Optional.of(c.patientId()),
            kind,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(text),
            OutboxItem.Status.PENDING,
            0,
            now,
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
  }
}
