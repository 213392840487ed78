package org.careloop.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One enrolled plan: the aggregate the engine keeps per plan. Everything the engine knows about the
 * plan's follow-up lives here, so a restart loses nothing.
 *
 * @param activatedAt when careloop started tracking the plan; nothing scheduled before it is
 *     replayed
 * @param anchorAt the start the step intervals count from
 * @param done keys of agenda items already fired or skipped: each fires at most once
 * @param lastReplyAt the last time the patient answered on any channel
 * @param pause while present, no automated message goes out for this plan
 * @param valueCents the plan's value, for a priced treatment plan
 * @param firstMessageAt when the plan's first message to the patient went out
 */
public record PlanState(
    String planId,
    String practiceId,
    String patientId,
    String protocolId,
    int protocolVersion,
    PlanStatus status,
    Instant activatedAt,
    Instant anchorAt,
    PlanFlags flags,
    Reach reach,
    List<Milestone> milestones,
    int consecutiveMisses,
    boolean providerReviewFlagged,
    Set<String> done,
    Optional<Instant> lastReplyAt,
    Optional<Pause> pause,
    Optional<Long> valueCents,
    Optional<Instant> firstMessageAt) {

  /**
   * Automated messages held back: after a positive reply until {@code until}, after free text until
   * a coordinator resumes the sequence.
   */
  public record Pause(String reason, Instant since, Optional<Instant> until) {
    /** Whether the pause still holds at {@code now}. */
    public boolean holds(Instant now) {
      return until.map(now::isBefore).orElse(true);
    }
  }

  public PlanState {
    milestones = List.copyOf(milestones);
    done = Set.copyOf(done);
  }

  /** A copy that records when the plan's first message went out. */
  public PlanState withFirstMessageAt(Instant at) {
    return new PlanState(
        planId,
        practiceId,
        patientId,
        protocolId,
        protocolVersion,
        status,
        activatedAt,
        anchorAt,
        flags,
        reach,
        milestones,
        consecutiveMisses,
        providerReviewFlagged,
        done,
        lastReplyAt,
        pause,
        valueCents,
        Optional.of(at));
  }

  /** The first step that is neither completed nor cancelled: the one the patient owns now. */
  public Optional<Milestone> current() {
    return milestones.stream().filter(m -> !m.status().isClosed()).findFirst();
  }

  /** The milestone with this key. */
  public Optional<Milestone> milestone(String key) {
    return milestones.stream().filter(m -> m.key().equals(key)).findFirst();
  }

  /** When the latest completed step was completed, or the anchor when none is. */
  public Instant lastProgressAt() {
    return milestones.stream()
        .flatMap(m -> m.completedAt().stream())
        .max(Instant::compareTo)
        .filter(t -> t.isAfter(anchorAt))
        .orElse(anchorAt);
  }
}
