package io.mirador.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
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
     */
    static Vertx around(Vertx real, UnaryOperator<HttpServerOptions> options, Consumer<HttpServer> beforeListen) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("createHttpServer")) {
                HttpServerOptions o = args == null || args.length == 0
                        ? new HttpServerOptions() : new HttpServerOptions((HttpServerOptions) args[0]);
                HttpServer server = real.createHttpServer(options.apply(o));
                beforeListen.accept(server);
                return server;
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Vertx) Proxy.newProxyInstance(ServerHooks.class.getClassLoader(), new Class<?>[] {VertxInternal.class}, handler);
    }
}
