package org.careloop.fhirtest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.test.config.TestR4Config;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * HAPI FHIR's JPA server for R4 on an in-memory H2 database, served by Jetty at {@code
 * http://127.0.0.1:PORT/fhir} (the port given, or any free one). It prints {@code FHIR server at
 * URL} once it answers, then runs until its process ends. careloop's tests start it as the EHR they
 * read from and write to, and that notifies them (R4 rest-hook Subscriptions).
 */
public final class FhirTestServer {
  private FhirTestServer() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    long started = System.nanoTime();
    var spring = new AnnotationConfigApplicationContext();
    spring.register(TestR4Config.class);
    spring.refresh();
    // R4 Subscriptions with rest-hook channels are delivered (HAPI's own tests turn them on so).
    spring
        .getBean(ca.uhn.fhir.jpa.test.util.SubscriptionTestUtil.class)
        .registerRestHookInterceptor();
    var rest = new RestfulServer(spring.getBean(FhirContext.class));
    rest.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
    rest.registerProvider(spring.getBean(JpaSystemProvider.class));
    rest.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
    var jetty = new Server();
    var connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    jetty.addConnector(connector);
    var handler = new ServletContextHandler();
    handler.addServlet(new ServletHolder(rest), "/fhir/*");
    jetty.setHandler(handler);
    jetty.start();
    // The first capability statement and search of a fresh JVM take seconds; a client with a
    // short timeout should not be the one to wait.
    String base = "http://127.0.0.1:" + connector.getLocalPort() + "/fhir";
    var http = java.net.http.HttpClient.newHttpClient();
    for (var path : java.util.List.of("/metadata", "/Patient?_count=1", "/CarePlan?_count=1"))
      http.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
    System.out.println(
        "FHIR server at "
            + base
            + " (started in "
            + (System.nanoTime() - started) / 1_000_000
            + " ms)");
    System.out.flush();
    jetty.join();
  }
}
