package io.mirador.app;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The Vert.x instance the platform HTTP server is built with: the real one, except that the HTTP server it
 * creates gets our options and handlers before it listens. Camel offers no other way to set the server's
 * idle timeout, its handler of requests it cannot read, or a first route in place before the first request.
 */
final class ServerHooks {

    private ServerHooks() {
    }

    /**
     * @param options      adjusts the options of every HTTP server created
     * @param beforeListen sees every HTTP server created, before it listens
     * @param admit        sees every request before the server's router does; passes it on by returning true,
     *                     else it has answered it (the router answers what it refuses in plain text)
     */
    static Vertx around(Vertx real, UnaryOperator<HttpServerOptions> options, Consumer<HttpServer> beforeListen,
                        Predicate<HttpServerRequest> admit) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("createHttpServer")) {
                HttpServerOptions o = args == null || args.length == 0
                        ? new HttpServerOptions() : new HttpServerOptions((HttpServerOptions) args[0]);
                HttpServer server = admitting(real.createHttpServer(options.apply(o)), admit);
                beforeListen.accept(server);
                return server;
            }
            return invoke(method, real, args);
        };
        return (Vertx) Proxy.newProxyInstance(ServerHooks.class.getClassLoader(), new Class<?>[] {VertxInternal.class}, handler);
    }

    /** The server, except that the request handler it is given runs only for requests {@code admit} passes. */
    @SuppressWarnings("unchecked")
    private static HttpServer admitting(HttpServer real, Predicate<HttpServerRequest> admit) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
                Handler<HttpServerRequest> next = (Handler<HttpServerRequest>) args[0];
                real.requestHandler(request -> {
                    if (admit.test(request)) {
                        next.handle(request);
                    }
                });
                return proxy;
            }
            return invoke(method, real, args);
        };
        return (HttpServer) Proxy.newProxyInstance(ServerHooks.class.getClassLoader(), new Class<?>[] {HttpServer.class}, handler);
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
