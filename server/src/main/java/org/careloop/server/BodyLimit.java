package org.careloop.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No request body larger than CARELOOP_MAX_BODY (a size such as {@code 10MB}, the default): a
 * declared length over it is refused before a byte is read, and a body that streams past it (no
 * length given) is cut off there; both answer 413, and nothing of it is stored or logged. Form
 * posts are held to the same size by the servlet container.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class BodyLimit extends OncePerRequestFilter {
  private final long max;

  BodyLimit(long max) {
    this.max = max;
  }

  /** The limit configured by CARELOOP_MAX_BODY, 10 MB by default. */
  static DataSize configured() {
    String v = Channels.env("CARELOOP_MAX_BODY").orElse("10MB");
    try {
      var size = DataSize.parse(v);
      if (size.toBytes() <= 0) throw new IllegalArgumentException("not positive");
      return size;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "CARELOOP_MAX_BODY must be a size such as 10MB or 500KB, not '" + v + "'");
    }
  }

  /** The body went past the limit while it was read. */
  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("request body too large", null, false, false);
    }
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > max) {
      refuse(response);
      return;
    }
    try {
      chain.doFilter(new Limited(request, max), response);
    } catch (TooLarge | ServletException e) {
      if (!(e instanceof TooLarge) && !causedByTooLarge(e)) throw e;
      if (!response.isCommitted()) {
        response.resetBuffer();
        refuse(response);
      }
    }
  }

  private static boolean causedByTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof TooLarge) return true;
    return false;
  }

  private void refuse(HttpServletResponse response) throws IOException {
    response.setStatus(413);
    response.setContentType("application/json;charset=UTF-8");
    response
        .getWriter()
        .println(
            "{\"error\": \"the request body is larger than "
                + DataSize.ofBytes(max).toMegabytes()
                + " MB (CARELOOP_MAX_BODY)\", \"where\": \"HTTP body\"}");
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long max;
    private @Nullable ServletInputStream stream;

    Limited(HttpServletRequest request, long max) {
      super(request);
      this.max = max;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      var s = stream;
      if (s == null) stream = s = new Counting(super.getInputStream(), max);
      return s;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long max;
    private long read;

    Counting(ServletInputStream in, long max) {
      this.in = in;
      this.max = max;
    }

    private int counted(int n) {
      if (n > 0) {
        read += n;
        if (read > max) throw new TooLarge();
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) counted(1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return counted(in.read(b, off, len));
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
