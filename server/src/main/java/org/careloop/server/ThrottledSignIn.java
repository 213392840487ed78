package org.careloop.server;

import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Every sign-in (the form and HTTP Basic alike) goes through here: refused without looking at the
 * password while its account or address must wait ({@link SignInGuard}), and audited whatever the
 * outcome: who tried, from which address, and what came of it (never the password).
 */
final class ThrottledSignIn implements AuthenticationProvider {
  private final DaoAuthenticationProvider passwords;
  private final SignInGuard guard;
  private final Careloop careloop;
  private final Clock wallClock;

  ThrottledSignIn(
      DaoAuthenticationProvider passwords, SignInGuard guard, Careloop careloop, Clock wallClock) {
    this.passwords = passwords;
    this.guard = guard;
    this.careloop = careloop;
    this.wallClock = wallClock;
  }

  /** A sign-in refused because its account or address failed too often lately. */
  static final class Throttled extends AuthenticationException {
    final long minutes;

    Throttled(long minutes) {
      super("too many failed sign-ins");
      this.minutes = minutes;
    }
  }

  @Override
  public Authentication authenticate(Authentication attempt) {
    String account = attempt.getName() == null ? "" : attempt.getName();
    String address =
        attempt.getDetails() instanceof WebAuthenticationDetails d && d.getRemoteAddress() != null
            ? d.getRemoteAddress()
            : "unknown";
    var now = wallClock.instant();
    var wait = guard.wait(account, address, now);
    if (wait.isPresent()) {
      audit(account, "signin.throttled", address, "wait " + wait.get().toSeconds() + " s");
      throw new Throttled(Math.max(1, (wait.get().toSeconds() + 59) / 60));
    }
    try {
      var result = passwords.authenticate(attempt);
      guard.succeeded(account, address);
      audit(account, "signin.ok", address, null);
      return result;
    } catch (AuthenticationException e) {
      guard.failed(account, address, now);
      audit(account, "signin.failed", address, null);
      throw e;
    }
  }

  private void audit(String account, String action, String address, @Nullable String detail) {
    var user = careloop.administration().person(account);
    // An unknown name is not echoed into the audit: it may be a password typed in the wrong box.
    String actor = user.map(u -> u.username()).orElse("(unknown user)");
    careloop
        .administration()
        .audit(
            actor,
            user.map(u -> u.practiceId()),
            action,
            "from " + address + (detail == null ? "" : ", " + detail),
            careloop.clock().instant());
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return passwords.supports(authentication);
  }

  static Optional<Long> minutes(AuthenticationException e) {
    return e instanceof Throttled t ? Optional.of(t.minutes) : Optional.empty();
  }
}
