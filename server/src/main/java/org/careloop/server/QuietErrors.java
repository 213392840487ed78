package org.careloop.server;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * A request that fails unexpectedly is logged by the classes of its exception chain only, never
 * their messages (a database's or a parser's message can quote a submitted value), and answered
 * with careloop's 500 page. Without this, the servlet container logs the whole exception.
 */
final class QuietErrors implements Filter {
  private final Consumer<String> log;

  QuietErrors() {
    this(LoggerFactory.getLogger(QuietErrors.class)::error);
  }

  QuietErrors(Consumer<String> log) {
    this.log = log;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException e) {
      String where =
          request instanceof HttpServletRequest r
              ? r.getMethod() + " " + r.getRequestURI()
              : "a request";
      log.accept(where + " failed: " + classes(e));
      if (response instanceof HttpServletResponse r && !r.isCommitted()) r.sendError(500);
    }
  }

  /** The exception's class and its causes', outermost first. */
  @SuppressWarnings("ReferenceEquality") // a cause that is the exception itself ends the chain
  static String classes(Throwable e) {
    var out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (out.length() > 0) out.append(" <- ");
      out.append(t.getClass().getName());
    }
    return out.toString();
  }
}
