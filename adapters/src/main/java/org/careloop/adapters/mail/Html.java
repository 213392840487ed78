package org.careloop.adapters.mail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTML part of an email, made from its text: escaped, paragraphs kept, links clickable. */
final class Html {
  private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+");

  private Html() {}

  /** The HTML part, with the practice's open pixel at the end when it tracks opens. */
  @SuppressWarnings("StringSplitter") // trailing blank lines make no paragraph, as meant
  static String of(String text, java.util.Optional<String> openPixel) {
    var out = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
    for (String paragraph : text.split("\n\n")) {
      String escaped =
          paragraph
              .replace("&", "&amp;")
              .replace("<", "&lt;")
              .replace(">", "&gt;")
              .replace("\"", "&quot;");
      var m = LINK.matcher(escaped);
      var linked = new StringBuilder();
      while (m.find()) {
        String url = m.group();
        m.appendReplacement(
            linked, Matcher.quoteReplacement("<a href=\"" + url + "\">" + url + "</a>"));
      }
      m.appendTail(linked);
      out.append("<p>").append(linked.toString().replace("\n", "<br>")).append("</p>");
    }
    openPixel.ifPresent(url ->
        out.append("<img src=\"")
            .append(url.replace("&", "&amp;").replace("\"", "&quot;"))
            .append("\" width=\"1\" height=\"1\" alt=\"\">"));
    return out.append("</body></html>").toString();
  }
}
