package org.careloop.app;

import java.time.Instant;
import java.util.Optional;

/**
 * A practice's connection to its EHR's FHIR R4 API.
 *
 * @param name the practice's own name for it ({@code epic}, {@code main}), unique in the practice
 * @param fhirBase the FHIR base URL, without a trailing slash
 * @param clientId the client id careloop signs in with ({@link Auth#SMART_BACKEND})
 * @param scope the scopes asked for ({@link Auth#SMART_BACKEND})
 * @param tokenEndpoint the token endpoint, when the EHR's SMART configuration does not say it or
 *     says another ({@link Auth#SMART_BACKEND})
 * @param secretRef where the secret is read when needed: {@code env:NAME} or {@code file:PATH};
 *     never the secret itself
 * @param notifications how the EHR's notifications to careloop prove they are the EHR's; none: the
 *     connection takes no notifications (it is polled)
 * @param disconnectedAt when it was disconnected; a disconnected connection is neither polled nor
 *     written to, and its notifications are refused
 * @param staffTasks the practice keeps its staff's work in the EHR's task list: each case careloop
 *     opens for staff is written there as a FHIR Task too, and completed there when it closes
 */
public record EhrConnection(
    String practiceId,
    String name,
    String fhirBase,
    Auth auth,
    Optional<String> clientId,
    Optional<String> scope,
    Optional<String> tokenEndpoint,
    Optional<String> secretRef,
    Optional<Notifications> notifications,
    Instant createdAt,
    Optional<Instant> disconnectedAt,
    boolean staffTasks) {

  /** A connection that keeps the staff's tasks in careloop's worklist only. */
  public EhrConnection(
      String practiceId,
      String name,
      String fhirBase,
      Auth auth,
      Optional<String> clientId,
      Optional<String> scope,
      Optional<String> tokenEndpoint,
      Optional<String> secretRef,
      Optional<Notifications> notifications,
      Instant createdAt,
      Optional<Instant> disconnectedAt) {
    this(
        practiceId,
        name,
        fhirBase,
        auth,
        clientId,
        scope,
        tokenEndpoint,
        secretRef,
        notifications,
        createdAt,
        disconnectedAt,
        false);
  }

  /** How careloop signs in to the EHR. */
  public enum Auth {
    /** No sign-in (a FHIR server on the practice's own network that asks for none). */
    NONE,
    /** A fixed bearer token, read from the environment or a file each time it is used. */
    BEARER,
    /** SMART Backend Services: a signed client assertion exchanged for a short-lived token. */
    SMART_BACKEND;

    /** As the command line writes it: none, bearer, smart-backend. */
    public String words() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Reads none, bearer or smart-backend. */
    public static Auth of(String words) {
      for (var a : values()) if (a.words().equals(words)) return a;
      throw new IllegalArgumentException(
          "--auth '" + words + "' is not one of none, bearer, smart-backend");
    }
  }

  /**
   * How a notification proves it comes from the EHR.
   *
   * @param header with {@link Check#HEADER}, the header the subscription asked the EHR to send (its
   *     value: the secret, or {@code Bearer} and the secret)
   * @param secretRef where the secret is read ({@code env:NAME} or {@code file:PATH})
   */
  public record Notifications(Check check, String header, String secretRef) {}

  /** The proof a notification carries. */
  public enum Check {
    /** A header whose value the subscription set ({@code Subscription.channel.header}). */
    HEADER,
    /** {@code X-Hub-Signature: sha256=…}, an HMAC of the body (WebSub; athenahealth). */
    HUB_SIGNATURE;

    /** As the command line writes it: header, hub-signature. */
    public String words() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Reads header or hub-signature. */
    public static Check of(String words) {
      for (var c : values()) if (c.words().equals(words)) return c;
      throw new IllegalArgumentException(
          "--notify-check '" + words + "' is not one of header, hub-signature");
    }
  }

  public boolean active() {
    return disconnectedAt.isEmpty();
  }
}
