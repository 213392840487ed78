package org.careloop.server;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What patients and Twilio send back: Twilio's inbound-SMS and status webhooks (each checked with
 * {@code X-Twilio-Signature}; unsigned or wrongly signed gets 403 and nothing is stored), clicks on
 * tracked links, and one-click email unsubscribes.
 */
@RestController
public class MessagingController {
  private static final String EMPTY_TWIML =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";
  private final Careloop careloop;

  public MessagingController(Careloop careloop) {
    this.careloop = careloop;
  }

  /** Whether the request is Twilio's: the signature over the public URL and the form. */
  private Optional<ResponseEntity<String>> refuse(HttpServletRequest request) {
    var signatures = careloop.channels().signatures();
    if (signatures.isEmpty())
      return Optional.of(
          ResponseEntity.status(HttpStatus.NOT_FOUND)
              .body("SMS runs in sandbox mode here: set CARELOOP_SMS=twilio to take webhooks\n"));
    String signature = request.getHeader("X-Twilio-Signature");
    String url =
        Careloop.publicUrl()
            + request.getRequestURI()
            + Optional.ofNullable(request.getQueryString()).map(q -> "?" + q).orElse("");
    var params = new ArrayList<Map.Entry<String, String>>();
    request
        .getParameterMap()
        .forEach((k, vs) -> {
          for (String v : vs) params.add(Map.entry(k, v));
        });
    if (signature == null || !signatures.get().validServletForm(url, params, signature))
      return Optional.of(
          ResponseEntity.status(HttpStatus.FORBIDDEN).body("X-Twilio-Signature does not match\n"));
    return Optional.empty();
  }

  private static String param(HttpServletRequest request, String name) {
    String v = request.getParameter(name);
    if (v == null) throw new MissingField(name);
    return v;
  }

  /** A Twilio webhook without a field careloop needs. */
  static final class MissingField extends RuntimeException {
    MissingField(String name) {
      super("the webhook has no " + name + " field");
    }
  }

  /** An SMS from a patient. Answers go out through the outbox, so the TwiML is empty. */
  @PostMapping(path = "/twilio/sms", produces = MediaType.APPLICATION_XML_VALUE)
  public ResponseEntity<String> sms(HttpServletRequest request) {
    var refused = refuse(request);
    if (refused.isPresent()) return refused.get();
    try {
      careloop
          .replies()
          .smsReceived(
              param(request, "From"),
              // The number (or Messaging Service) the patient wrote to names the practice.
              Optional.of(param(request, "To")),
              Optional.ofNullable(request.getParameter("MessagingServiceSid"))
                  .filter(s -> !s.isBlank()),
              param(request, "Body"),
              param(request, "MessageSid"),
              careloop.clock().instant());
    } catch (MissingField e) {
      return ResponseEntity.badRequest().body(e.getMessage() + "\n");
    }
    return ResponseEntity.ok(EMPTY_TWIML);
  }

  /** A delivery report for a message careloop sent. */
  @PostMapping(path = "/twilio/status")
  public ResponseEntity<String> status(HttpServletRequest request) {
    var refused = refuse(request);
    if (refused.isPresent()) return refused.get();
    try {
      boolean known =
          careloop
              .deliveries()
              .statusReported(
                  careloop.store(),
                  param(request, "MessageSid"),
                  param(request, "MessageStatus"),
                  Optional.ofNullable(request.getParameter("ErrorCode")).filter(c -> !c.isBlank()),
                  careloop.clock().instant());
      return known
          ? ResponseEntity.noContent().build()
          : ResponseEntity.status(HttpStatus.NOT_FOUND).body("no message with that MessageSid\n");
    } catch (MissingField e) {
      return ResponseEntity.badRequest().body(e.getMessage() + "\n");
    }
  }

  /** A tracked link: recorded, then on to where it points. */
  @GetMapping("/l/{code}")
  public ResponseEntity<String> link(@PathVariable String code) {
    return careloop
        .replies()
        .linkClicked(code, careloop.clock().instant())
        .map(target ->
            ResponseEntity.status(HttpStatus.FOUND).location(URI.create(target)).<String>build())
        .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body("unknown link\n"));
  }

  /** A transparent 1×1 GIF. */
  private static final byte[] PIXEL =
      java.util.Base64.getDecoder()
          .decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

  /** An email's open pixel, where the practice tracks opens. */
  @GetMapping("/o/{code}.gif")
  public ResponseEntity<byte[]> opened(@PathVariable String code) {
    careloop.replies().emailOpened(code, careloop.clock().instant());
    // The same image either way: the response says nothing about whether the code was known.
    return ResponseEntity.ok()
        .contentType(MediaType.IMAGE_GIF)
        .header("Cache-Control", "no-store")
        .body(PIXEL);
  }

  /** The unsubscribe page an email links to: a button, since a GET must not unsubscribe. */
  @GetMapping(path = "/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
  public String unsubscribePage(@PathVariable String token) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head><body>"
        + "<form method=\"post\"><p>Stop care reminder emails to this address?</p>"
        + "<button type=\"submit\">Unsubscribe</button></form></body></html>";
  }

  /** One-click unsubscribe (RFC 8058), from the mail client or the page's button. */
  @PostMapping(path = "/u/{token}", produces = MediaType.TEXT_PLAIN_VALUE)
  public ResponseEntity<String> unsubscribe(@PathVariable String token) {
    return careloop.replies().emailUnsubscribe(token, careloop.clock().instant())
        ? ResponseEntity.ok("You are unsubscribed: no more reminder emails will come.\n")
        : ResponseEntity.badRequest().body("This unsubscribe link is not valid.\n");
  }
}
