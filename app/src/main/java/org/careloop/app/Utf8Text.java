package org.careloop.app;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Outside text (a feed's body, an imported file) read as UTF-8, strictly: a byte that is not UTF-8
 * (a Windows-1252 "é" from an old export) rejects the input with its line and column instead of
 * being stored as U+FFFD. A leading byte-order mark, as spreadsheet programs write, is dropped.
 */
public final class Utf8Text {
  private Utf8Text() {}

  /**
   * The bytes as text, a byte-order mark dropped.
   *
   * @param source the input's name for the error (a file, "HTTP body")
   * @throws InputRejected naming the line and column of the first byte that is not UTF-8
   */
  public static String decode(byte[] bytes, String source) {
    int start =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    var in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(in)
          .toString();
    } catch (CharacterCodingException e) {
      int bad = in.position();
      int line = 1, lineStart = start;
      for (int i = start; i < bad; i++)
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      // The column counts characters, as an editor shows them.
      String before = new String(bytes, lineStart, bad - lineStart, StandardCharsets.UTF_8);
      int column = before.codePointCount(0, before.length()) + 1;
      throw new InputRejected(
          source + ":" + line + ":" + column,
          String.format(
              "is not UTF-8 text (byte 0x%02X at line %d, column %d); save the file as UTF-8",
              bytes[bad] & 0xff, line, column),
          e);
    }
  }
}
