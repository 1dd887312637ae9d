package dev.dualwrite.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Calls an application under test over HTTP on its local port, as a client would: JSON in, status and body out. */
public final class RestProbe {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String baseUrl;

    private RestProbe(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    public static RestProbe at(int port) {
        return new RestProbe(port);
    }

    public HttpResponse<String> get(String path) {
        return get(path, Map.of());
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
        headers.forEach(request::setHeader);
        return send(request);
    }

    /** A POST without a body, e.g. a lifecycle action like /confirm. */
    public HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> post(String path, String json) {
        return post(path, json, Map.of());
    }

    /** Headers replace the defaults: a Content-Type given here is the only one sent. */
    public HttpResponse<String> post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::setHeader);
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
