package org.careloop.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Backoff after failed sign-ins, per account and per address: the first few failures cost nothing,
 * then each further attempt must wait twice as long as the last (up to {@link #LONGEST}), whether
 * its password is right or not. A success clears the account's and the address's count; failures
 * older than {@link #MEMORY} are forgotten. Counts live in this process (each node of several keeps
 * its own, which still bounds guessing to a few attempts an hour per node).
 */
final class SignInGuard {
  /** Failures an account may have before it must wait. */
  static final int FREE_PER_ACCOUNT = 5;

  /** Failures an address may have (over all the accounts it tries) before it must wait. */
  static final int FREE_PER_ADDRESS = 20;

  static final Duration LONGEST = Duration.ofMinutes(15);
  static final Duration MEMORY = Duration.ofHours(1);

  // Attackers choose the names; beyond this many remembered, the oldest go first.
  private static final int MOST_REMEMBERED = 50_000;

  private record Failures(int count, Instant last) {}

  private final Map<String, Failures> accounts = new ConcurrentHashMap<>();
  private final Map<String, Failures> addresses = new ConcurrentHashMap<>();

  /** How long {@code account} from {@code address} must still wait; empty when it may try now. */
  Optional<Duration> wait(String account, String address, Instant now) {
    var a = waitFor(accounts.get(key(account)), FREE_PER_ACCOUNT, now);
    var b = waitFor(addresses.get(address), FREE_PER_ADDRESS, now);
    var longer = a.compareTo(b) >= 0 ? a : b;
    return longer.isZero() ? Optional.empty() : Optional.of(longer);
  }

  void failed(String account, String address, Instant now) {
    count(accounts, key(account), now);
    count(addresses, address, now);
  }

  void succeeded(String account, String address) {
    accounts.remove(key(account));
    addresses.remove(address);
  }

  private static String key(String account) {
    return account.strip().toLowerCase(java.util.Locale.ROOT);
  }

  private static Duration waitFor(@Nullable Failures f, int free, Instant now) {
    if (f == null || f.count() < free || f.last().plus(MEMORY).isBefore(now)) return Duration.ZERO;
    int over = Math.min(f.count() - free, 20);
    var backoff = Duration.ofSeconds(1L << over);
    if (backoff.compareTo(LONGEST) > 0) backoff = LONGEST;
    var until = f.last().plus(backoff);
    return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
  }

  private static void count(Map<String, Failures> map, String key, Instant now) {
    if (map.size() >= MOST_REMEMBERED)
      map.values().removeIf(f -> f.last().plus(MEMORY).isBefore(now));
    if (map.size() >= MOST_REMEMBERED) map.clear();
    map.compute(
        key,
        (k, f) ->
            f == null || f.last().plus(MEMORY).isBefore(now)
                ? new Failures(1, now)
                : new Failures(f.count() + 1, now));
  }
}
