package org.careloop.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** A response sent as a file to save: its type in UTF-8 and the name it is saved under. */
final class Downloads {
  private Downloads() {}

  /** Sets the type and the file's name on {@code response}; returns where to write the file. */
  static PrintWriter attachment(HttpServletResponse response, String type, String fileName)
      throws IOException {
    response.setContentType(type + ";charset=UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    return response.getWriter();
  }
}
