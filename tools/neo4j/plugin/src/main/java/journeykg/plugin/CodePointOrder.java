package journeykg.plugin;

/**
 * Strings compared by Unicode code point, as Python compares them.
 *
 * <p>{@link String#compareTo} compares UTF-16 code units, which orders a character above
 * U+FFFF (a surrogate pair) before U+E000..U+FFFF; Python's order has it after. IRIs may
 * hold any of them, and the walk's choice of parent follows Python's sort of IRIs.
 */
final class CodePointOrder {
    private CodePointOrder() {}

    static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return fix(x) - fix(y);
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF, so that code units compare as code points. */
    private static int fix(char c) {
        if (c >= 0xD800) {
            return c <= 0xDFFF ? c + 0x2000 : c - 0x800;
        }
        return c;
    }
}
