package org.careloop.core;

import java.time.Instant;

/**
 * What a plan remembers it has done, so nothing happens twice: an agenda item fired, a touchpoint
 * that reached a channel, a delivery that failed, a one-time escalation or task, a reply acted on,
 * a hold already explained. Stored in {@link PlanState#done()} as its {@link #key()}, the text
 * plans have always stored, so plans saved before these types read the same.
 */
sealed interface Mark {

  /** The stored form. */
  String key();

  /** An agenda item fired or skipped. */
  record Fired(String itemKey) implements Mark {
    @Override
    public String key() {
      return itemKey;
    }
  }

  /** A touchpoint went out on {@code channel}. */
  record Reached(String itemKey, Channel channel) implements Mark {
    @Override
    public String key() {
      return itemKey + ":" + channel;
    }
  }

  /** A message failed for good. */
  record Failed(String effectKey) implements Mark {
    static final String PREFIX = "failed:";

    @Override
    public String key() {
      return PREFIX + effectKey;
    }
  }

  /** Repeated failed deliveries were escalated to a person (once per plan). */
  record EscalatedFailedContact() implements Mark {
    @Override
    public String key() {
      return "escalated:failed-contact";
    }
  }

  /** A reply that wants to book was handed to the front desk. */
  record Reengaged(Instant replyAt) implements Mark {
    @Override
    public String key() {
      return "reengaged:" + replyAt.toEpochMilli();
    }
  }

  /** A message held back until {@code until} was explained on the timeline. */
  record Held(String itemKey, Instant until) implements Mark {
    @Override
    public String key() {
      return "held:" + itemKey + "@" + until.toEpochMilli();
    }
  }

  /** The per-step cap of automated messages was reached and a person asked to call. */
  record CapReached(String milestoneKey) implements Mark {
    @Override
    public String key() {
      return "cap:" + milestoneKey;
    }
  }

  /**
   * A touch counted against the protocol's cycle cap: an automated message or a person's touch for
   * step {@code milestoneKey} in the cycle that began at {@code cycle}, made by {@code itemKey}.
   */
  record CycleTouch(String milestoneKey, Instant cycle, boolean human, String itemKey)
      implements Mark {
    /** The common start of the keys of one step's touches of one kind in one cycle. */
    static String prefix(String milestoneKey, Instant cycle, boolean human) {
      return "cycle:" + milestoneKey + "@" + cycle.toEpochMilli() + (human ? ":human:" : ":auto:");
    }

    @Override
    public String key() {
      return prefix(milestoneKey, cycle, human) + itemKey;
    }
  }

  /** The patient opted out and a person was asked to reach them. */
  record OptedOut(String milestoneKey) implements Mark {
    @Override
    public String key() {
      return "optout:" + milestoneKey;
    }
  }

  /** How many failed deliveries the stored keys record. */
  static long failures(java.util.Collection<String> keys) {
    return keys.stream().filter(k -> k.startsWith(Failed.PREFIX)).distinct().count();
  }
}
