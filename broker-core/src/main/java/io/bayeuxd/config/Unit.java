package io.bayeuxd.config;

/** What a numeric setting counts, as the command line and the docs state it. */
public enum Unit {
    NONE(""),
    SECONDS("seconds"),
    BYTES("bytes"),
    PER_SECOND("per second");

    private final String label;

    Unit(String label) {
        this.label = label;
    }

    /** The unit as the docs name it; empty for {@link #NONE}. */
    public String label() {
        return label;
    }
}
