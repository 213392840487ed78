package org.careloop.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Twilio's Messages API, as the SDK calls it: a create takes {@code delayMs}
 * and is recorded as soon as it arrives (Twilio has it even when the caller dies before the
 * answer), and the list of a number's messages answers what was recorded, so careloop's
 * reconciliation after a crash can be tested end to end. Listens on 127.0.0.1 only.
 */
final class TwilioStub implements AutoCloseable {
  record Sent(String sid, String to, String body, ZonedDateTime created) {}

  private final HttpServer server;
  private final List<Sent> sent = new ArrayList<>();
  private final AtomicInteger lists = new AtomicInteger();
  private final int delayMs;

  TwilioStub(int delayMs) throws IOException {
    this.delayMs = delayMs;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext("/2010-04-01/Accounts/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  int listCalls() {
    return lists.get();
  }

  private static Map<String, String> form(String text) {
    var out = new HashMap<String, String>();
    if (text == null || text.isEmpty()) return out;
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) continue;
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static String message(Sent s) {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(s.created());
    return "{\"sid\": "
        + json(s.sid())
        + ", \"account_sid\": \"AC00000000000000000000000000000000\", \"to\": "
        + json(s.to())
        + ", \"body\": "
        + json(s.body())
        + ", \"status\": \"queued\", \"date_created\": "
        + json(date)
        + ", \"num_segments\": \"1\", \"direction\": \"outbound-api\"}";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (!path.endsWith("/Messages.json")) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      String answer;
      int status;
      if (ex.getRequestMethod().equals("POST")) {
        var f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Sent s;
        synchronized (this) {
          s =
              new Sent(
                  String.format("SM%032d", sent.size() + 1),
                  f.getOrDefault("To", ""),
                  f.getOrDefault("Body", ""),
                  ZonedDateTime.now(ZoneOffset.UTC).withNano(0));
          sent.add(s);
        }
        try {
          Thread.sleep(delayMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        status = 201;
        answer = message(s);
      } else {
        lists.incrementAndGet();
        String to = form(ex.getRequestURI().getRawQuery()).getOrDefault("To", "");
        var mine = new ArrayList<String>();
        for (var s : sent()) if (s.to().equals(to)) mine.add(message(s));
        status = 200;
        answer =
            "{\"messages\": ["
                + String.join(", ", mine)
                + "], \"first_page_uri\": \""
                + path
                + "?PageSize=50&Page=0\", \"next_page_uri\": null, \"previous_page_uri\": null,"
                + " \"page\": 0, \"page_size\": 50, \"start\": 0, \"end\": "
                + Math.max(0, mine.size() - 1)
                + ", \"uri\": \""
                + path
                + "\"}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
