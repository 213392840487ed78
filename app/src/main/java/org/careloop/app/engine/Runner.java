package org.careloop.app.engine;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.careloop.app.Store;

/**
 * Runs what is due: plan wake-ups first, then the outbox, in batches until nothing due is left. On
 * a simulated clock it walks the due times in order, so each fires at its own time.
 */
public final class Runner {
  /** Plans or outbox items per transaction. */
  public static final int BATCH = 100;

  private final Store store;
  private final Engine engine;
  private final Dispatch dispatcher;

  /** What carries out the outbox (the messaging's dispatcher), as the runner sees it. */
  public interface Dispatch {
    /** Dispatches up to {@code limit} due outbox items; returns how many it handled. */
    int dispatchDue(Store store, Instant now, int limit);
  }

  public Runner(Store store, Engine engine, Dispatch dispatcher) {
    this.store = store;
    this.engine = engine;
    this.dispatcher = dispatcher;
  }

  /** What one run did. */
  public record Counts(int wakeups, int dispatched) {
    Counts plus(Counts o) {
      return new Counts(wakeups + o.wakeups, dispatched + o.dispatched);
    }
  }

  /** How long message bodies are kept; the metadata stays. */
  public static final java.time.Duration BODY_RETENTION = java.time.Duration.ofDays(30);

  /** How long a worked EHR notification event is kept (to know a redelivery of it). */
  public static final java.time.Duration EVENT_RETENTION = java.time.Duration.ofDays(30);

  private volatile Instant lastPurge = Instant.EPOCH;

  /**
   * Fires every wake-up and dispatches every outbox item due by {@code now}; once an hour, erases
   * message bodies past {@link #BODY_RETENTION} and forgets EHR events worked before {@link
   * #EVENT_RETENTION}.
   */
  public Counts runDue(Instant now) {
    int wakeups = 0, dispatched = 0, n;
    while ((n = engine.fireDue(store, now, BATCH)) > 0) wakeups += n;
    while ((n = dispatcher.dispatchDue(store, now, BATCH)) > 0) dispatched += n;
    while ((n = escalateDue(now)) > 0) {}
    if (!now.isBefore(lastPurge.plus(java.time.Duration.ofHours(1)))) {
      lastPurge = now;
      store.inTransaction(tx -> tx.purgeBodies(now.minus(BODY_RETENTION), now));
      store.inTransaction(tx -> tx.purgeWorkedEvents(now.minus(EVENT_RETENTION)));
    }
    return new Counts(wakeups, dispatched);
  }

  /**
   * Escalates open tasks whose response window has passed: each goes to its lane's escalation role
   * (nurse, provider, manager), and the plan's timeline says so.
   *
   * @return how many were escalated
   */
  int escalateDue(Instant now) {
    return store.inTransaction(tx -> {
      var overdue = tx.overdueTasks(now, BATCH);
      for (var t : overdue) {
        String to = engine.lanes().rule(org.careloop.core.Lane.valueOf(t.lane())).escalateTo();
        String reason =
            t.priority().toLowerCase(java.util.Locale.ROOT)
                + " task not handled by "
                + t.respondBy()
                + ": escalated to the "
                + to;
        tx.escalateTask(t.id(), to, reason, now);
        tx.appendTimeline(
            t.planId(),
            List.of(
                new org.careloop.core.TimelineEntry(
                    now, "escalated", "task \"" + t.title() + "\": " + reason)));
      }
      return overdue.size();
    });
  }

  /**
   * Moves a simulated clock from {@code from} to {@code to}, stopping at every due time on the way;
   * {@code setClock} records each time the clock reaches.
   */
  public Counts advance(Instant from, Instant to, Consumer<Instant> setClock) {
    var total = runDue(from);
    Instant current = from;
    int idle = 0;
    while (true) {
      var next = store.inTransaction(Store.Tx::earliestDue);
      if (next.isEmpty() || next.get().isAfter(to)) break;
      Instant t = next.get().isAfter(current) ? next.get() : current;
      if (!t.equals(current)) {
        current = t;
        setClock.accept(t);
      }
      var counts = runDue(t);
      total = total.plus(counts);
      if (counts.wakeups() == 0 && counts.dispatched() == 0) {
        // Another engine on the same database may hold the due rows for a moment.
        if (++idle > 200) {
          throw new IllegalStateException(
              "work due at " + t + " did not run for 10 s; is another engine stuck on it?");
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for work due at " + t, e);
        }
      } else {
        idle = 0;
      }
    }
    setClock.accept(to);
    return total.plus(runDue(to));
  }
}
