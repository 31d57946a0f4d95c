package io.mirador.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The sync config in force, and where each of its values comes from. One rule decides:
 * <ol>
 *   <li>a field set at run time ({@code PUT .../sync/config}) wins over the settings, until an admin resets
 *       it ({@code DELETE .../sync/config});</li>
 *   <li>else a {@code -D} setting, else the field's environment variable ({@code METRICS_METADATA_SYNC_*}),
 *       else its setting in application.properties;</li>
 *   <li>except that {@code enabled = false} from the environment or the settings is a kill switch: scheduled
 *       syncs stay off whatever was set at run time.</li>
 * </ol>
 * The schedule and new syncs read {@link #current()}, so a change applies without restart.
 */
public final class SyncSettings {

    private static final Logger LOG = LoggerFactory.getLogger(SyncSettings.class);

    private final SyncConfig base;
    private final Map<SyncConfigField, String> baseSources;
    private volatile InForce inForce;

    /** The overrides and the config they make, replaced together. */
    private record InForce(ConfigOverrides overrides, Map<SyncConfigField, Object> set, SyncConfig config) {
    }

    /**
     * @param base        the config of the environment and settings
     * @param baseSources where each of its values came from, in words
     */
    public SyncSettings(SyncConfig base, Map<SyncConfigField, String> baseSources) {
        this.base = base;
        this.baseSources = Map.copyOf(baseSources);
        this.inForce = new InForce(ConfigOverrides.NONE, Map.of(), config(Map.of()));
    }

    /** Settings of a config with no run-time changes (tests, tools). */
    public SyncSettings(SyncConfig base) {
        this(base, sourcesOf(key -> false, key -> false, "given"));
    }

    /**
     * Reads the settings {@code mirador.sync.*}.
     *
     * @param setting looks a setting up (environment placeholders resolved)
     * @param envSet  whether an environment variable is set, to say where a value came from
     * @throws IllegalArgumentException naming the setting (and its environment variable) that is wrong
     */
    public static SyncSettings fromSettings(Function<String, Optional<String>> setting, Predicate<String> envSet,
                                            Predicate<String> systemPropertySet) {
        return new SyncSettings(SyncConfig.fromSettings(setting), sourcesOf(envSet, systemPropertySet, null));
    }

    private static Map<SyncConfigField, String> sourcesOf(Predicate<String> envSet, Predicate<String> systemPropertySet,
                                                          String fixed) {
        Map<SyncConfigField, String> sources = new EnumMap<>(SyncConfigField.class);
        for (SyncConfigField f : SyncConfigField.values()) {
            String source;
            if (fixed != null) {
                source = fixed;
            } else if (systemPropertySet.test(f.setting())) {
                source = "setting -D" + f.setting();
            } else if (envSet.test(f.env())) {
                source = "environment " + f.env();
            } else {
                source = "setting " + f.setting();
            }
            sources.put(f, source);
        }
        return sources;
    }

    public SyncConfig current() {
        return inForce.config;
    }

    /** The fields set at run time, as stored. */
    public ConfigOverrides overrides() {
        return inForce.overrides;
    }

    /** Where each field's value in force comes from, by JSON field name. */
    public Map<String, String> sources() {
        InForce now = inForce;
        Map<String, String> out = new LinkedHashMap<>();
        for (SyncConfigField f : SyncConfigField.values()) {
            String source = now.set.containsKey(f) ? "runtime (" + describe(now.overrides) + ")" : baseSources.get(f);
            if (f == SyncConfigField.ENABLED && !base.enabled()) {
                source = baseSources.get(f) + ", a kill switch no runtime change overrides";
            }
            out.put(f.jsonName(), source);
        }
        return out;
    }

    private static String describe(ConfigOverrides o) {
        return "set " + (o.changedBy() == null ? "" : "by " + o.changedBy() + " ") + (o.changedAt() == null ? "" : "at " + o.changedAt());
    }

    /**
     * Takes the overrides kept in the state store at start, checked as a PUT would be; logs where every value
     * in force comes from.
     *
     * @param where the store and key they were read from, for the message
     * @throws IllegalArgumentException naming {@code where} and the field, when a stored value is not valid
     */
    public void load(ConfigOverrides stored, String where) {
        Map<SyncConfigField, Object> set;
        try {
            set = new EnumMap<>(SyncConfigField.class);
            set.putAll(stored.read());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the sync config stored in " + where + " is not valid: " + e.getMessage()
                    + ". Fix or delete it there (the settings then apply), or start with a valid one");
        }
        ConfigOverrides overrides = stored;
        if (stored.version() == 0) {
            // a whole config stored before versions: only what differs from the settings was a change
            set.entrySet().removeIf(e -> e.getValue().equals(base.value(e.getKey())));
            overrides = overridesOf(set, stored.version(), stored.changedAt(), stored.changedBy());
        }
        inForce = new InForce(overrides, Map.copyOf(set), config(set));
        Map<String, String> sources = sources();
        List<String> lines = new ArrayList<>();
        for (SyncConfigField f : SyncConfigField.values()) {
            lines.add(f.jsonName() + "=" + f.show(current().value(f)) + " (" + sources.get(f.jsonName()) + ")");
        }
        LOG.info("sync config: {}", String.join(", ", lines));
    }

    /**
     * The overrides after a change of some fields (not yet in force: {@link #apply} them once stored).
     *
     * @throws IllegalArgumentException naming the field, when the result is not a valid config
     */
    public ConfigOverrides change(Map<SyncConfigField, Object> changes, String by, Instant at) {
        InForce now = inForce;
        Map<SyncConfigField, Object> set = new EnumMap<>(SyncConfigField.class);
        set.putAll(now.set);
        set.putAll(changes);
        List<String> problems = config(set).problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return overridesOf(set, now.overrides.version() + 1, at, by);
    }

    /** The overrides after every run-time change is dropped: the settings apply again. */
    public ConfigOverrides reset(String by, Instant at) {
        return overridesOf(Map.of(), inForce.overrides.version() + 1, at, by);
    }

    /** Puts stored overrides in force, logging each value that changes (old -> new) and who changed it. */
    public synchronized void apply(ConfigOverrides next) {
        SyncConfig before = current();
        Map<SyncConfigField, Object> set = next.read();
        inForce = new InForce(next, Map.copyOf(set), config(set));
        List<String> changed = new ArrayList<>();
        for (SyncConfigField f : SyncConfigField.values()) {
            Object old = before.value(f);
            Object now = current().value(f);
            if (!old.equals(now)) {
                changed.add(f.jsonName() + " " + f.show(old) + " -> " + f.show(now));
            }
        }
        LOG.info("sync config changed by {}: {}", next.changedBy(), changed.isEmpty() ? "no value changed" : String.join(", ", changed));
    }

    private SyncConfig config(Map<SyncConfigField, Object> set) {
        SyncConfig config = base.with(set);
        if (!base.enabled() && config.enabled()) {
            config = config.with(Map.of(SyncConfigField.ENABLED, false));
        }
        return config;
    }

    private static ConfigOverrides overridesOf(Map<SyncConfigField, Object> set, long version, Instant at, String by) {
        ObjectNode values = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (SyncConfigField f : SyncConfigField.values()) {
            if (set.containsKey(f)) {
                values.set(f.jsonName(), f.write(set.get(f)));
            }
        }
        return new ConfigOverrides(version, at, by, values);
    }
}
