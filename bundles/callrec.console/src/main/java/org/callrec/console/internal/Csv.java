package org.callrec.console.internal;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV, plus protection against spreadsheet formula injection on export. */
final class Csv {

    private Csv() {
    }

    static String write(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        line(sb, header);
        rows.forEach(r -> line(sb, r));
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String f = fields.get(i) == null ? "" : fields.get(i);
            if (!f.isEmpty() && "=+-@\t\r".indexOf(f.charAt(0)) >= 0) {
                f = "'" + f; // a spreadsheet would otherwise run it as a formula
            }
            if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
                f = "\"" + f.replace("\"", "\"\"") + "\"";
            }
            sb.append(f);
        }
        sb.append("\r\n");
    }

    /**
     * Parses CSV text.
     *
     * @throws IllegalArgumentException naming the line of an unterminated quote
     */
    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int line = 1;
        int quoteLine = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
                quoteLine = line;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                line++;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + quoteLine + ": a quoted field is not closed");
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
