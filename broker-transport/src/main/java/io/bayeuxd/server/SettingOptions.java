package io.bayeuxd.server;

import io.bayeuxd.config.Setting;
import io.bayeuxd.config.Unit;
import io.bayeuxd.config.ValueType;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;

/**
 * Makes each declared setting a picocli option, so flag, default, help text and parsing all come from the
 * declaration; named in {@link BrokerMain}'s {@code @Command} as its model transformer.
 */
final class SettingOptions implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec command) {
        for (Setting<?> setting : SettingsCatalog.ALL) {
            command.addOption(option(setting));
        }
        return command;
    }

    /** The value of a setting after parsing: the flag's, else its variable's, else the file's, else the default. */
    @SuppressWarnings("unchecked")
    static <T> T value(CommandSpec command, Setting<T> setting) {
        Object value = command.findOption(setting.flag()).getValue();
        if (setting.type().shape() == ValueType.Shape.LIST) {
            return (T) ValueType.clean((List<String>) value);
        }
        return (T) value;
    }

    private static <T> OptionSpec option(Setting<T> setting) {
        OptionSpec.Builder option = OptionSpec.builder(setting.flag())
                .paramLabel(setting.unit() == Unit.NONE ? setting.type().paramLabel() : "<" + setting.unit().label().replace(' ', '-') + ">")
                .description(setting.plainDescription())
                .defaultValue(setting.defaultText());
        switch (setting.type().shape()) {
            // picocli's own boolean handling gives the bare switch and --flag=false.
            // picocli's own boolean handling gives the bare switch and --flag=false; it hides a switch's
            // default unless told, and whether JSONP is on by default is worth seeing.
            case SWITCH -> option.type(boolean.class).arity("0..1").showDefaultValue(CommandLine.Help.Visibility.ALWAYS);
            case LIST -> option.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
            case SINGLE -> option.type(setting.type().javaType()).converters(text -> parse(setting, text));
        }
        return option.build();
    }

    private static <T> T parse(Setting<T> setting, String text) {
        try {
            return setting.type().parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
