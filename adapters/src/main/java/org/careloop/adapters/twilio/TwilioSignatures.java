package org.careloop.adapters.twilio;

import com.twilio.security.RequestValidator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks {@code X-Twilio-Signature} with the SDK's {@link RequestValidator}: against the public URL
 * Twilio was given (Twilio signs the URL it called, not the one careloop sees behind a proxy), the
 * form parameters, and the account's auth token.
 */
public final class TwilioSignatures {
  private final RequestValidator validator;

  public TwilioSignatures(String authToken) {
    this.validator = new RequestValidator(authToken);
  }

  /**
   * Whether a form-encoded webhook is signed by Twilio.
   *
   * @param params in the order received; a name may repeat
   */
  public boolean validForm(String url, List<Map.Entry<String, String>> params, String signature) {
    // The signed text is the URL, then each name followed by its value, names sorted; a repeated
    // name contributes each of its values, sorted. Folding the repeats into one map entry whose
    // value continues with "name value" gives the SDK the very same text to sign.
    var byName = new TreeMap<String, List<String>>();
    for (var p : params)
      byName.computeIfAbsent(p.getKey(), k -> new java.util.ArrayList<>()).add(p.getValue());
    var folded = new TreeMap<String, String>();
    for (var e : byName.entrySet()) {
      var values = e.getValue().stream().sorted().toList();
      var joined = new StringBuilder(values.get(0));
      for (int i = 1; i < values.size(); i++) joined.append(e.getKey()).append(values.get(i));
      folded.put(e.getKey(), joined.toString());
    }
    return validator.validate(url, folded, signature);
  }

  /**
   * Whether a servlet's form webhook is signed by Twilio. A servlet merges the URL's query into the
   * request parameters, while Twilio signs the query once, as part of the URL: each query pair is
   * taken out of {@code merged} (once per occurrence) before the form is checked.
   *
   * @param url the public URL Twilio called, with its query
   * @param merged the servlet's parameters, query and form body together
   */
  public boolean validServletForm(
      String url, List<Map.Entry<String, String>> merged, String signature) {
    var form = new java.util.ArrayList<>(merged);
    int q = url.indexOf('?');
    if (q >= 0) {
      for (String pair : url.substring(q + 1).split("&", -1)) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        form.remove(Map.entry(name, value));
      }
    }
    return validForm(url, form, signature);
  }

  private static String decode(String s) {
    try {
      return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** Whether a JSON-bodied webhook (URL carries {@code bodySHA256}) is signed by Twilio. */
  public boolean validJson(String url, String body, String signature) {
    try {
      return validator.validate(url, body, signature);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
