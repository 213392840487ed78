package org.careloop.server;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.careloop.adapters.fhir.NotificationProof;
import org.careloop.adapters.fhir.SubscriptionNotification;
import org.careloop.adapters.fhir.healthie.HealthieWebhook;
import org.careloop.app.EhrConnection;
import org.careloop.app.InputRejected;
import org.careloop.app.Utf8Text;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An EHR's FHIR Subscriptions notifications for one connection of one practice: checked by the
 * proof the connection asks for (401 and nothing stored without it), read (400 naming where, when
 * it is not a notification), stored, and answered at once; the events are worked after, on the EHR
 * thread. Nothing here logs a value the EHR sent.
 */
@RestController
public class EhrNotificationController {
  private static final Logger log = LoggerFactory.getLogger(EhrNotificationController.class);
  private final Careloop careloop;

  public EhrNotificationController(Careloop careloop) {
    this.careloop = careloop;
  }

  /** Where a connection's EHR sends its notifications ({@code Subscription.channel.endpoint}). */
  static String url(String practiceId, String name) {
    return Careloop.publicUrl() + "/ehr/" + practiceId + "/" + name + "/notifications";
  }

  // No `produces`: EHRs ask for FHIR types only (HAPI FHIR sends Accept: application/fhir+json),
  // and are answered in plain text whatever they accept, rather than refused with a 406.
  @PostMapping(path = "/ehr/{practice}/{name}/notifications")
  public ResponseEntity<String> notification(
      @PathVariable String practice,
      @PathVariable String name,
      @RequestBody(required = false) byte @Nullable [] body,
      HttpServletRequest request) {
    return take(practice, name, body, request, Optional.empty());
  }

  /**
   * An R4 rest-hook subscription with a payload: the resource that matched, sent as an update to
   * {@code [endpoint]/[type]/[id]} (R4's classic, criteria-based Subscription; HAPI FHIR sends
   * these).
   */
  @PutMapping(path = "/ehr/{practice}/{name}/notifications/{type}/{id}")
  public ResponseEntity<String> restHookUpdate(
      @PathVariable String practice,
      @PathVariable String name,
      @PathVariable String type,
      @PathVariable String id,
      @RequestBody(required = false) byte @Nullable [] body,
      HttpServletRequest request) {
    return take(practice, name, body, request, Optional.of(new Updated(type, id)));
  }

  /** Where a rest-hook update was sent: {@code [endpoint]/[type]/[id]}. */
  private record Updated(String type, String id) {}

  /** An answer in plain text, whatever the sender's {@code Accept} asked for. */
  private static ResponseEntity<String> plain(HttpStatus status, String body) {
    return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(body);
  }

  private ResponseEntity<String> take(
      String practice,
      String name,
      byte @Nullable [] body,
      HttpServletRequest request,
      Optional<Updated> updated) {
    var found = careloop.ehrNotifications().listening(practice, name);
    // The same answer for a connection that does not exist and one that takes no notifications.
    if (found.isEmpty())
      return plain(HttpStatus.NOT_FOUND, "no EHR connection takes notifications here\n");
    var connection = found.get();
    var proof = connection.notifications().orElseThrow();
    byte[] bytes = body == null ? new byte[0] : body;
    try {
      var received =
          new NotificationProof.Received(
              request.getMethod(),
              java.util.List.of(
                  java.net.URI.create(url(practice, name)).getRawPath(), request.getRequestURI()),
              java.util.Objects.requireNonNullElse(request.getQueryString(), ""),
              bytes,
              request::getHeader);
      if (!NotificationProof.verifies(proof, received))
        return plain(
            HttpStatus.UNAUTHORIZED,
            "the notification's "
                + NotificationProof.header(proof)
                + " is missing or does not match; nothing was stored\n");
    } catch (IllegalArgumentException e) {
      log.warn(
          "EHR connection {} of practice {}: its notification secret cannot be read at {}",
          name,
          practice,
          proof.secretRef());
      return plain(
          HttpStatus.SERVICE_UNAVAILABLE,
          "careloop cannot check notifications now; send again later\n");
    }
    String source = "notification to EHR connection " + name;
    try {
      String text = Utf8Text.decode(bytes, source);
      var n =
          connection.api() == EhrConnection.Api.HEALTHIE
              ? HealthieWebhook.read(text, source)
              : updated.isPresent()
                  ? SubscriptionNotification.restHook(
                      updated.get().type(), updated.get().id(), text, source)
                  // An R4 rest-hook subscription without a payload pings with an empty POST.
                  : text.isBlank()
                      ? SubscriptionNotification.ping()
                      : SubscriptionNotification.read(text, source);
      var accepted = careloop.ehrNotifications().accept(connection, n, careloop.clock().instant());
      careloop.ehrNotified();
      return plain(
          HttpStatus.OK,
          n.type()
              + ": "
              + accepted.stored()
              + " to work, "
              + accepted.repeated()
              + " already had"
              + (accepted.missed() > 0
                  ? ", " + accepted.missed() + " missed (a poll reads them)"
                  : "")
              + "\n");
    } catch (InputRejected e) {
      return plain(HttpStatus.BAD_REQUEST, e.getMessage() + "\n");
    }
  }
}
