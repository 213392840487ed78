package org.careloop.app.messaging;

import java.util.Locale;
import java.util.Set;

/**
 * What a patient's text means. The carrier-standard opt-out words (any case, with spaces or
 * punctuation around them) opt out; START and UNSTOP opt back in; HELP asks who we are; BOOK or 1
 * asks to book, and so do YES, Y and OK (the answer the messages invite) and, from a patient texted
 * in Spanish, SI, SÍ and CITA; YES is also a carrier opt-in word, so from a number that opted out
 * it opts back in ({@link #optsBackIn}). Anything else is free text for a person, urgent when it
 * reports worse symptoms.
 */
public final class ReplyWords {

  /** The kinds of reply. */
  public enum Meaning {
    STOP,
    START,
    HELP,
    BOOK,
    FREE_TEXT,
    /** Free text that reports worse symptoms or an emergency: a person now, the provider told. */
    WORSE
  }

  /**
   * Words that make a free-text reply urgent. Cautious on purpose: a false alarm costs a call, a
   * missed one costs far more.
   */
  static final java.util.regex.Pattern WORSE_WORDS =
      java.util.regex.Pattern.compile(
          "\\b(worse|worsening|chest pain|can'?t breathe|cannot breathe|short(ness)? of breath"
              + "|bleeding|fever|severe|fainted|passed out|emergency|911|suicid\\w*|hurts? (a lot|badly))\\b",
          java.util.regex.Pattern.CASE_INSENSITIVE);

  static final Set<String> STOP =
      Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT");
  static final Set<String> START = Set.of("START", "UNSTOP");
  static final Set<String> HELP = Set.of("HELP", "INFO");
  static final Set<String> BOOK = Set.of("BOOK", "1", "YES", "Y", "OK", "OKAY", "SI", "SÍ", "CITA");

  /** Opt-in words carriers also honour (Twilio's default opt-in keywords include YES). */
  static final Set<String> CARRIER_OPT_IN = Set.of("YES");

  private ReplyWords() {}

  /** Whether the message is a word the carrier takes as opting back in. */
  public static boolean optsBackIn(String body) {
    return CARRIER_OPT_IN.contains(word(body));
  }

  private static String word(String body) {
    return body.strip()
        .replaceAll("^[\\p{Punct}\\p{Space}]+|[\\p{Punct}\\p{Space}]+$", "")
        .toUpperCase(Locale.ROOT);
  }

  /** The meaning of a whole message. */
  public static Meaning classify(String body) {
    String word = word(body);
    if (STOP.contains(word)) return Meaning.STOP;
    if (START.contains(word)) return Meaning.START;
    if (HELP.contains(word)) return Meaning.HELP;
    if (BOOK.contains(word)) return Meaning.BOOK;
    if (WORSE_WORDS.matcher(body).find()) return Meaning.WORSE;
    return Meaning.FREE_TEXT;
  }
}
