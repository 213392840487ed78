package org.careloop.adapters.twilio;

import com.twilio.exception.ApiException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.util.Optional;
import org.careloop.app.Store;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.TwilioErrors;

/**
 * Sends SMS through Twilio's REST API with the official SDK. Each practice sends from its own
 * Messaging Service SID ({@code MG…}) or number; Twilio reports delivery to the status callback
 * URL. The API base URL is configurable so tests run against a local stub.
 *
 * <p>Twilio has no idempotency key for messages. A message is committed SENDING before the call;
 * after a crash between Twilio's answer and careloop's commit, {@link #lookUp} lists the messages
 * to that number created since the attempt and matches the body (which carries the message's own
 * tracked link), so the message is recorded as sent instead of being sent again.
 */
public final class TwilioSmsSender implements ChannelSender {
  /** Twilio's own API. */
  public static final String TWILIO_API = "https://api.twilio.com";

  private final TwilioRestClient client;
  private final Optional<String> defaultSender;
  private final String statusCallback;

  /**
   * @param apiBase {@link #TWILIO_API}, or a stub's address in tests
   * @param defaultSender the Messaging Service SID or number for practices without their own
   * @param statusCallback the public URL of careloop's {@code /twilio/status}
   */
  public TwilioSmsSender(
      String accountSid,
      String authToken,
      String apiBase,
      Optional<String> defaultSender,
      String statusCallback) {
    this.client =
        new TwilioRestClient.Builder(accountSid, authToken)
            .httpClient(new Rebased(apiBase))
            .build();
    this.defaultSender = defaultSender;
    this.statusCallback = statusCallback;
  }

  @Override
  public Optional<String> send(Store.Tx tx, org.careloop.app.messaging.Message m) {
    String from =
        m.from()
            .or(() -> defaultSender)
            .orElseThrow(() ->
                new PermanentFailure(
                    "no SMS sender configured: set the practice's Messaging Service SID or number"));
    var to = new PhoneNumber(m.to());
    var creator =
        from.startsWith("MG")
            ? Message.creator(to, from, m.body())
            : Message.creator(to, new PhoneNumber(from), m.body());
    creator.setStatusCallback(URI.create(statusCallback));
    try {
      return Optional.of(creator.create(client).getSid());
    } catch (ApiException e) {
      String code = e.getCode() == null ? "" : String.valueOf(e.getCode());
      if (TwilioErrors.deadNumber(code))
        throw new PermanentFailure(
            "Twilio refused the number: " + TwilioErrors.describe(code), Optional.of(code), true);
      if (code.equals("21610"))
        throw new PermanentFailure(
            "the number replied STOP to this sender at the carrier", Optional.of(code), false);
      Integer status = e.getStatusCode();
      if (status != null && status >= 400 && status < 500 && status != 401 && status != 429)
        throw new PermanentFailure(
            "Twilio rejected the message (HTTP " + status + ", error " + code + ")",
            Optional.of(code),
            false);
      // 401 (a token being rotated), 429 and 5xx are worth another try; the code only, since
      // Twilio's text can quote the number.
      throw new IllegalStateException("Twilio error " + code + " (HTTP " + status + ")");
    }
  }

  @Override
  public Lookup lookUp(org.careloop.app.messaging.Message m, java.time.Instant attemptedAt) {
    // Not filtered by DateSent: a message Twilio accepted but still queues has none yet.
    var since = attemptedAt.minus(java.time.Duration.ofMinutes(1));
    for (var sent :
        Message.reader().setTo(new PhoneNumber(m.to())).limit(50).pageSize(50).read(client)) {
      var created = sent.getDateCreated();
      if (created != null && created.toInstant().isBefore(since)) continue;
      if (m.body().equals(sent.getBody())) return new Lookup.Sent(Optional.of(sent.getSid()));
    }
    return new Lookup.NotSent();
  }

  /** Sends every SDK request to {@code base} instead of {@code https://api.twilio.com}. */
  static final class Rebased extends NetworkHttpClient {
    private final String base;

    Rebased(String base) {
      this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public Response makeRequest(Request request) {
      if (base.equals(TWILIO_API)) return super.makeRequest(request);
      String url = request.getUrl();
      var rebased = new Request(request.getMethod(), url.replaceFirst("^https://[^/]+", base));
      request.getPostParams().forEach((k, vs) -> vs.forEach(v -> rebased.addPostParam(k, v)));
      request.getHeaderParams().forEach((k, vs) -> vs.forEach(v -> rebased.addHeaderParam(k, v)));
      request.getQueryParams().forEach((k, vs) -> vs.forEach(v -> rebased.addQueryParam(k, v)));
      if (request.getAuthStrategy() != null) rebased.setAuth(request.getAuthStrategy());
      else rebased.setAuth(request.getUsername(), request.getPassword());
      return super.makeRequest(rebased);
    }
  }
}
