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
 * @param api what the EHR speaks: FHIR R4 at {@code fhirBase}, or Healthie's GraphQL API at that
 *     address
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
    boolean staffTasks,
    Api api) {

  /** A FHIR connection. */
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
      Optional<Instant> disconnectedAt,
      boolean staffTasks) {
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
        staffTasks,
        Api.FHIR);
  }

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

  /** What an EHR's API speaks. */
  public enum Api {
    /** FHIR R4: read, searched and written to as the FHIR specification says. */
    FHIR,
    /**
     * Healthie's GraphQL API: appointments and their clients read by GraphQL and taken as FHIR
     * Appointments and Patients; nothing is written back.
     */
    HEALTHIE,
    /**
     * athenahealth's athenaOne API ({@code …/v1/{practiceid}}): its changed-data feeds of
     * appointments and patients, taken as FHIR Appointments and Patients; nothing is written back.
     */
    ATHENA;

    public String words() {
      return this == ATHENA ? "athenahealth" : name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How careloop signs in to the EHR. */
  public enum Auth {
    /** No sign-in (a FHIR server on the practice's own network that asks for none). */
    NONE,
    /** A fixed bearer token, read from the environment or a file each time it is used. */
    BEARER,
    /** SMART Backend Services: a signed client assertion exchanged for a short-lived token. */
    SMART_BACKEND,
    /**
     * Healthie's API key, read from the environment or a file each time it is used, sent as {@code
     * Authorization: Basic <key>} with {@code AuthorizationSource: API}.
     */
    API_KEY,
    /**
     * OAuth client credentials with a client secret (athenahealth), read from the environment or a
     * file when a token is asked for; the token is kept until shortly before it expires.
     */
    CLIENT_SECRET;

    /** As the command line writes it: none, bearer, smart-backend. */
    public String words() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Reads none, bearer or smart-backend. */
    public static Auth of(String words) {
      for (var a : values()) if (a.words().equals(words)) return a;
      throw new IllegalArgumentException(
          "--auth '"
              + words
              + "' is not one of none, bearer, smart-backend, client-secret, api-key");
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
    HUB_SIGNATURE,
    /**
     * Healthie's signed webhooks: {@code Content-Digest} the body's SHA-256 and {@code Signature}
     * an HMAC of the method, path, query, digest, content type and length.
     */
    HEALTHIE;

    /** As the command line writes it: header, hub-signature, healthie. */
    public String words() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Reads header, hub-signature or healthie. */
    public static Check of(String words) {
      for (var c : values()) if (c.words().equals(words)) return c;
      throw new IllegalArgumentException(
          "--notify-check '" + words + "' is not one of header, hub-signature, healthie");
    }
  }

  public boolean active() {
    return disconnectedAt.isEmpty();
  }
}
