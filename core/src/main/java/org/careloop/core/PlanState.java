package org.careloop.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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
    return edit(b -> b.firstMessageAt = Optional.of(at));
  }

  PlanState withStatus(PlanStatus newStatus) {
    return edit(b -> b.status = newStatus);
  }

  /** A copy with {@code changed} in place of the milestone of the same key. */
  PlanState withMilestone(Milestone changed) {
    var list = new ArrayList<>(milestones);
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).key().equals(changed.key())) {
        list.set(i, changed);
        return edit(b -> b.milestones = list);
      }
    }
    throw new IllegalStateException("no milestone " + changed.key());
  }

  /** A copy with {@code added} after the plan's steps. */
  PlanState withAddedMilestone(Milestone added) {
    var list = new ArrayList<>(milestones);
    list.add(added);
    return edit(b -> b.milestones = list);
  }

  /**
   * How far the patient has come with a presented treatment plan whose protocol watches it after
   * acceptance: accepted, scheduled or completed; empty before the yes.
   */
  public Optional<PlanEvent.Acceptance> acceptance() {
    return milestone(PlanProgress.PROCEDURE)
        .map(m ->
            switch (m.status()) {
              case COMPLETED -> PlanEvent.Acceptance.COMPLETED;
              case SCHEDULED -> PlanEvent.Acceptance.SCHEDULED;
              default -> PlanEvent.Acceptance.ACCEPTED;
            });
  }

  PlanState withConsecutiveMisses(int misses) {
    return edit(b -> b.consecutiveMisses = misses);
  }

  PlanState withProviderReviewFlagged(boolean flagged) {
    return edit(b -> b.providerReviewFlagged = flagged);
  }

  PlanState withDone(Set<String> keys) {
    return edit(b -> b.done = keys);
  }

  PlanState withLastReplyAt(Instant at) {
    return edit(b -> b.lastReplyAt = Optional.of(at));
  }

  PlanState withReach(Reach newReach) {
    return edit(b -> b.reach = newReach);
  }

  PlanState withPause(Optional<Pause> newPause) {
    return edit(b -> b.pause = newPause);
  }

  /** A copy with what {@code change} sets; the plan's identity and its order stay. */
  private PlanState edit(Consumer<Changes> change) {
    var b = new Changes(this);
    change.accept(b);
    return new PlanState(
        planId,
        practiceId,
        patientId,
        protocolId,
        protocolVersion,
        b.status,
        activatedAt,
        anchorAt,
        flags,
        b.reach,
        b.milestones,
        b.consecutiveMisses,
        b.providerReviewFlagged,
        b.done,
        b.lastReplyAt,
        b.pause,
        valueCents,
        b.firstMessageAt);
  }

  /** The parts of a plan that change as its follow-up goes on. */
  private static final class Changes {
    PlanStatus status;
    Reach reach;
    List<Milestone> milestones;
    int consecutiveMisses;
    boolean providerReviewFlagged;
    Set<String> done;
    Optional<Instant> lastReplyAt;
    Optional<Pause> pause;
    Optional<Instant> firstMessageAt;

    Changes(PlanState s) {
      status = s.status;
      reach = s.reach;
      milestones = s.milestones;
      consecutiveMisses = s.consecutiveMisses;
      providerReviewFlagged = s.providerReviewFlagged;
      done = s.done;
      lastReplyAt = s.lastReplyAt;
      pause = s.pause;
      firstMessageAt = s.firstMessageAt;
    }
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

  /** Whether the agenda item {@code agendaKey} (a check-in, an outreach, a gap tier) fired. */
  public boolean fired(String agendaKey) {
    return done.contains(new Mark.Fired(agendaKey).key());
  }

  /** Whether the touchpoint {@code agendaKey} went out to the patient on {@code channel}. */
  public boolean reached(String agendaKey, Channel channel) {
    return done.contains(new Mark.Reached(agendaKey, channel).key());
  }
}
