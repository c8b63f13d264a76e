package org.callrec.capture.mirror.internal.offline;

import java.util.List;
import java.util.Map;

/** The little JSON recordings.json needs (RFC 8259): objects of strings, numbers, lists and null. */
final class Json {

    private Json() {
    }

    static String object(Map<String, ?> o) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, ?> e : o.entrySet()) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(string(e.getKey())).append(": ").append(value(e.getValue()));
        }
        return s.append('}').toString();
    }

    private static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder s = new StringBuilder("[");
            for (Object x : l) {
                s.append(s.length() > 1 ? ", " : "").append(value(x));
            }
            return s.append(']').toString();
        }
        return string(v.toString());
    }

    static String string(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
