package org.careloop.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.careloop.core.TimelineEntry;

/** The engine's persistent state. Every use case runs inside one {@link Tx}. */
public interface Store {

  /** Runs {@code work} in one transaction: all of it commits, or none of it. */
  <T> T inTransaction(Function<Tx, T> work);

  /** A plan locked for its wake-up. */
  interface Claimed {
    String planId();

    /** Decodes the stored plan; throws when it cannot be read. */
    StoredPlan load();
  }

  /** One open transaction. */
  interface Tx {
    Practice practice(String practiceId);

    /** Inserts or updates a patient by source key; returns careloop's patient id. */
    String upsertPatient(PatientRecord patient);

    Optional<PatientRecord> patient(String patientId);

    Optional<String> patientIdBySource(String sourceKey);

    Optional<String> planIdBySource(String sourceKey);

    /** The plan, locked for update until the transaction ends. */
    Optional<StoredPlan> lockPlan(String planId);

    /** The newest active plan of a patient, if any. */
    Optional<String> activePlanOfPatient(String patientId);

    /**
     * Locks up to {@code limit} plans whose wake-up is due, skipping plans others hold. A plan that
     * cannot be decoded is still claimed; its {@link Claimed#load()} throws, so it fails alone.
     */
    List<Claimed> claimDuePlans(Instant now, int limit);

    /** Runs {@code work} so that when it throws, only its own changes are undone (a savepoint). */
    void isolated(Runnable work);

    /** Moves a plan's wake-up without touching its state (after a failed wake-up). */
    void deferPlan(String planId, Instant until);

    void insertPlan(StoredPlan plan, String sourceKey, Optional<String> provider, Instant now);

    /**
     * Stores the plan's new state and wake-up.
     *
     * @throws IllegalStateException when the stored version is not {@code plan.version() - 1}
     */
    void updatePlan(StoredPlan plan, Instant now);

    void appendTimeline(String planId, List<TimelineEntry> entries);

    void enqueue(List<OutboxItem> items);

    void insertTasks(List<TaskRecord> tasks);

    void insertBoardEntries(String planId, List<String> summaries, Instant at);

    Optional<AppointmentRef> appointment(String sourceKey);

    void saveAppointment(AppointmentRef ref);

    /** Locks up to {@code limit} pending outbox items due by {@code now}, skipping held ones. */
    List<OutboxItem> claimDueOutbox(Instant now, int limit);

    void markSent(long outboxId, Instant at);

    void markRetry(long outboxId, int attempts, Instant nextAttemptAt, String error);

    void markDead(long outboxId, int attempts, String error);

    /** The earliest plan wake-up or outbox retry, for the simulated clock. */
    Optional<Instant> earliestDue();
  }
}
