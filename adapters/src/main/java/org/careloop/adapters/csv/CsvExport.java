package org.careloop.adapters.csv;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A CSV file careloop hands to a person (care-gap report, audit export), safe to open in a
 * spreadsheet: a text cell that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return is written behind a single quote, so the spreadsheet shows it as text instead of
 * running it as a formula (OWASP "CSV injection"). Numbers are written as they are.
 */
public final class CsvExport implements Flushable {
  private final CSVPrinter printer;

  public CsvExport(Appendable out, String... header) {
    try {
      this.printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header).get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one row; text cells are neutralised, numbers and booleans are not. */
  public void row(Object... cells) {
    var values = new Object[cells.length];
    for (int i = 0; i < cells.length; i++)
      values[i] =
          cells[i] instanceof Number || cells[i] instanceof Boolean
              ? cells[i]
              : neutralise(String.valueOf(cells[i]));
    try {
      printer.printRecord(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cell as a spreadsheet shows text: a leading formula character is quoted away. */
  public static String neutralise(String cell) {
    if (cell.isEmpty()) return cell;
    return switch (cell.charAt(0)) {
      case '=', '+', '-', '@', '\t', '\r' -> "'" + cell;
      default -> cell;
    };
  }

  @Override
  public void flush() {
    try {
      printer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
