package org.callrec.capture.wave.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.callrec.api.rtp.PlayoutFactory;

/**
 * callrec.rtp's own play-out (jitter buffer and G.711 decoders) outside OSGi, wired as DS would:
 * its components are internal to that bundle, so they are built and injected reflectively here.
 */
final class RealRtp {

    private RealRtp() {
    }

    static PlayoutFactory playouts() throws ReflectiveOperationException {
        Class<?> factoryClass = Class.forName("org.callrec.rtp.internal.RtpPlayouts");
        Object factory = construct(factoryClass);
        List<Object> decoders = new ArrayList<>();
        for (String d : List.of("PcmuDecoders", "PcmaDecoders")) {
            decoders.add(construct(Class.forName("org.callrec.rtp.internal." + d)));
        }
        // G.729 through the OS's bcg729, configured with its defaults as DS would
        Class<?> g729 = Class.forName("org.callrec.rtp.internal.G729Decoders");
        Object g729Decoders = construct(g729);
        Class<?> g729Config = Class.forName("org.callrec.rtp.internal.G729Config");
        Method g729Configure = g729.getDeclaredMethod("configure", g729Config);
        g729Configure.setAccessible(true);
        g729Configure.invoke(g729Decoders, Proxy.newProxyInstance(g729Config.getClassLoader(),
                new Class<?>[] {g729Config}, (p, m, a) -> m.getDefaultValue()));
        decoders.add(g729Decoders);
        Field f = factoryClass.getDeclaredField("decoders");
        f.setAccessible(true);
        f.set(factory, decoders);
        Class<?> configClass = Class.forName("org.callrec.rtp.internal.PlayoutConfig");
        Object config = Proxy.newProxyInstance(configClass.getClassLoader(), new Class<?>[] {configClass},
                (p, m, a) -> m.getDefaultValue());
        Method configure = factoryClass.getDeclaredMethod("configure", configClass);
        configure.setAccessible(true);
        configure.invoke(factory, config);
        return (PlayoutFactory) factory;
    }

    /** {@link #playouts()} for field initialisers and lambdas. */
    static PlayoutFactory playoutsUnchecked() {
        try {
            return playouts();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("callrec.rtp's play-out cannot be built: " + e, e);
        }
    }

    private static Object construct(Class<?> c) throws ReflectiveOperationException {
        Constructor<?> k = c.getDeclaredConstructor();
        k.setAccessible(true);
        return k.newInstance();
    }
}
