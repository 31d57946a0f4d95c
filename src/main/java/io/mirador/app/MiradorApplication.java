package io.mirador.app;

import org.apache.camel.main.Main;

/** Starts the catalog: Camel Main with the routes of {@code routes/} and the beans of {@link MiradorConfiguration}. */
public final class MiradorApplication {

    private MiradorApplication() {
    }

    public static void main(String[] args) throws Exception {
        newMain().run(args);
    }

    /** The service's Camel Main, not yet started; tests start the same wiring. */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(MiradorConfiguration.class);
        return main;
    }
}
