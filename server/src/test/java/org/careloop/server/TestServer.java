package org.careloop.server;

import java.time.Instant;
import java.util.Optional;
import org.springframework.context.ConfigurableApplicationContext;

/** careloop served in this JVM on an in-memory database with the demo's users, on any free port. */
record TestServer(Careloop careloop, ConfigurableApplicationContext ctx, String base)
    implements AutoCloseable {
  static TestServer start(String name, Instant today) {
    var careloop =
        Opened.careloop(
            "jdbc:h2:mem:" + name + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            Optional.of("simulated"),
            Optional.of(today),
            4);
    DemoUsers.load(careloop);
    LakesideCases.load(careloop, today);
    var ctx = WebServer.start(careloop, 0);
    return new TestServer(
        careloop, ctx, "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port"));
  }

  @Override
  public void close() {
    ctx.close();
    careloop.close();
  }
}
