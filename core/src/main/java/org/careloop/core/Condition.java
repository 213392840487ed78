package org.careloop.core;

import java.util.Optional;

/**
 * When a touch applies to a plan: the plan's value (a dental treatment plan's total) and the
 * patient's recorded marketing consent.
 *
 * @param valueAtLeastCents applies when the plan's value is at least this
 * @param valueAboveCents applies when the plan's value is more than this
 * @param marketingConsent applies only when the patient's marketing consent is on file
 * @param startedWithin for enrolment: only plans whose source start is at most this old
 * @param dueWithin applies when the current step is due at most this long after the start
 * @param dueBeyond applies when the current step is due more than this long after the start (a
 *     recall months ahead)
 */
public record Condition(
    Optional<Long> valueAtLeastCents,
    Optional<Long> valueAboveCents,
    boolean marketingConsent,
    Optional<java.time.Duration> startedWithin,
    Optional<java.time.Duration> dueWithin,
    Optional<java.time.Duration> dueBeyond) {

  /** A condition on value and consent only. */
  public Condition(
      Optional<Long> valueAtLeastCents, Optional<Long> valueAboveCents, boolean marketingConsent) {
    this(
        valueAtLeastCents,
        valueAboveCents,
        marketingConsent,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Why the condition does not hold for a step due {@code dueIn} after the plan's start (a
   * near-term next step, or a recall months ahead); empty when it does.
   */
  public Optional<String> unmetByTiming(java.time.Duration dueIn) {
    if (dueWithin.isPresent() && dueIn.compareTo(dueWithin.get()) > 0)
      return Optional.of(
          "the step is due "
              + dueIn.toDays()
              + " days after the start, beyond "
              + dueWithin.get().toDays());
    if (dueBeyond.isPresent() && dueIn.compareTo(dueBeyond.get()) <= 0)
      return Optional.of(
          "the step is due "
              + dueIn.toDays()
              + " days after the start, within "
              + dueBeyond.get().toDays());
    return Optional.empty();
  }

  /**
   * Why a plan that started at {@code startedAt} is too old to enrol at {@code now} (a visit that
   * ended weeks ago is history, not a post-visit follow-up); empty when it is not.
   */
  public Optional<String> tooOld(java.time.Instant startedAt, java.time.Instant now) {
    return startedWithin
        .filter(w -> startedAt.isBefore(now.minus(w)))
        .map(w -> "it started more than " + w.toDays() + " day(s) before the import");
  }

  /** Why the condition does not hold for a plan of this value and consent; empty when it does. */
  public Optional<String> unmetBy(Optional<Long> valueCents, boolean consent) {
    if (valueAtLeastCents.isPresent()
        && valueCents.filter(v -> v >= valueAtLeastCents.get()).isEmpty())
      return Optional.of(
          "the plan's value " + dollars(valueCents) + " is below " + dollars(valueAtLeastCents));
    if (valueAboveCents.isPresent() && valueCents.filter(v -> v > valueAboveCents.get()).isEmpty())
      return Optional.of(
          "the plan's value " + dollars(valueCents) + " is not above " + dollars(valueAboveCents));
    if (marketingConsent && !consent)
      return Optional.of("the patient has no marketing consent on file");
    return Optional.empty();
  }

  /** Cents in dollars, e.g. {@code $1,500}; "unknown" when there is no value. */
  public static String dollars(Optional<Long> cents) {
    return cents
        .map(c ->
            c % 100 == 0
                ? String.format(java.util.Locale.US, "$%,d", c / 100)
                : String.format(java.util.Locale.US, "$%,.2f", c / 100.0))
        .orElse("unknown");
  }
}
