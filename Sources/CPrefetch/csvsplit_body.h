// The splitters' bodies, compiled twice by csvsplit.c: for the baseline instruction set (`CDR_NAME(x)` is
// `x_base`) and for AVX2 with POPCNT and BMI (`x_wide`), chosen at run time. Not a header to include elsewhere.

/// A record of quoted fields is `"…","…",…,"…"` then LF or CRLF: its quotes are exactly the first byte, the
/// bytes on each side of every separator, and the byte before the line end. So the separators of the line give the
/// fields, and the record is checked with masks a block of 64 bytes at a time: each separator has a quote on
/// each side, separators are at least three bytes apart (two would make one quote both a field's end and the
/// next one's start: a field `","`, left to the state machine), the last field closes right before the line end,
/// and the line holds no other quote (counted: with the separators apart, as many quotes as those places). A few
/// instructions a field, where a walk from quote to quote took forty.
static CDR_TARGET intptr_t CDR_NAME(cdr_split_quoted)(const unsigned char *p, intptr_t n, unsigned char delimiter,
                                                      intptr_t offset, intptr_t *bounds, intptr_t maxFields,
                                                      intptr_t *next) {
    intptr_t *out = bounds;
    intptr_t *const limit = bounds + 2 * maxFields;
    intptr_t start = offset + 1;  // where the current field's content starts (plus `offset`)
    intptr_t previous = -1;  // the last separator (as if one stood before the opening quote at 0)
    intptr_t quotes = 0;  // quotes of the line so far
    uint64_t carrySeparator = 0;  // bit 0: the previous block ended with a separator (a quote must follow)
    uint64_t quoteAt63 = 0;  // the previous block ended with a quote (a separator may follow)
    for (intptr_t block = 0; block < n; block += 64) {
        uint64_t separators;
        cdr_bits bits = CDR_NAME(cdr_block)(p, block, n, delimiter, &separators);
        uint64_t line = ~(uint64_t)0;  // the bits before the line's end
        if (bits.newlines != 0) line = (bits.newlines & (0 - bits.newlines)) - 1;
        uint64_t q = bits.quotes & line;
        uint64_t s = separators & line;
        // A quote right after each separator (a separator before the line end fails: the newline is no quote),
        // and right before each one (across the block boundary, the previous block's last byte).
        if ((((s << 1) | carrySeparator) & ~q) != 0 || ((s >> 1) & ~q) != 0 || ((s & 1) != 0 && quoteAt63 == 0)) {
            return 0;
        }
        quotes += __builtin_popcountll(q);
        carrySeparator = s >> 63;
        quoteAt63 = q >> 63;
        if (s != 0) {
            // Separators three bytes apart or more, in the block and from the last one before it; room for the
            // fields they end and one more.
            if ((s & ((s >> 1) | (s >> 2))) != 0 || block + __builtin_ctzll(s) - previous < 3) return 0;
            if (out + 2 * __builtin_popcountll(s) >= limit) return 0;
            previous = block + 63 - __builtin_clzll(s);
            intptr_t here = offset + block;
            do {
                intptr_t at = here + __builtin_ctzll(s);
                s &= s - 1;
                out[0] = start;
                out[1] = at - 1;
                out += 2;
                start = at + 2;
            } while (s != 0);
        }
        if (bits.newlines != 0) {
            intptr_t lineEnd = block + __builtin_ctzll(bits.newlines);
            intptr_t close = lineEnd >= 1 && p[lineEnd - 1] == '\r' ? lineEnd - 2 : lineEnd - 1;
            // The last field closes before the line end; every quote was one of those checked (the first, two a
            // separator, the last).
            if (close - previous < 2 || p[close] != '"' || out == limit || quotes != 2 + (out - bounds)) return 0;
            out[0] = start;
            out[1] = offset + close;
            out += 2;
            *next = lineEnd + 1;
            return (out - bounds) / 2;
        }
    }
    return 0;
}

static CDR_TARGET intptr_t CDR_NAME(cdr_split_plain)(const unsigned char *p, intptr_t n, unsigned char delimiter,
                                                     int quoting, intptr_t offset, intptr_t *bounds,
                                                     intptr_t maxFields, intptr_t *next) {
    intptr_t *out = bounds;
    intptr_t *const limit = bounds + 2 * maxFields;
    intptr_t start = offset;  // where the current field starts (plus `offset`, as every bound written)
    for (intptr_t block = 0; block < n; block += 64) {
        uint64_t found;
        cdr_bits bits = CDR_NAME(cdr_block)(p, block, n, delimiter, &found);
        uint64_t separators = found;  // a copy whose address is not taken: it stays in a register
        uint64_t take = ~(uint64_t)0;  // the bits before the line's end
        if (bits.newlines != 0) take = (bits.newlines & -bits.newlines) - 1;
        if (quoting && (bits.quotes & take) != 0) return -1;
        separators &= take;
        intptr_t here = offset + block;
        while (separators != 0) {
            intptr_t at = here + __builtin_ctzll(separators);
            separators &= separators - 1;
            if (out == limit) return 0;
            out[0] = start;
            out[1] = at;
            out += 2;
            start = at + 1;
        }
        if (bits.newlines != 0) {
            intptr_t lineEnd = block + __builtin_ctzll(bits.newlines);
            intptr_t contentEnd = offset + (lineEnd > 0 && p[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd);
            if (out == limit || contentEnd < start) return 0;
            out[0] = start;
            out[1] = contentEnd;
            out += 2;
            *next = lineEnd + 1;
            return (out - bounds) / 2;
        }
    }
    return 0;
}

static CDR_TARGET intptr_t CDR_NAME(cdr_split_line)(const unsigned char *p, intptr_t n, unsigned char delimiter,
                                                    int quoting, intptr_t offset, intptr_t *bounds,
                                                    intptr_t maxFields, intptr_t *next, uint64_t *collapse) {
    intptr_t *out = bounds;
    intptr_t *const limit = bounds + 2 * maxFields;
    intptr_t start = 0;     // where the current field starts
    uint64_t inside = 0;    // all ones when the previous block ended inside quotes
    uint64_t boundary = 1;  // bit 0: the byte before the block ends a field or a quoted part (or is none)
    uint64_t closed = 0;    // bit 0: the byte before the block is a closing quote
    int doubled = 0;        // the current field has a doubled quote in an earlier block
    uint64_t fold = 0;      // the fields with doubled quotes, to collapse
    for (intptr_t block = 0; block < n; block += 64) {
        uint64_t found;
        cdr_bits bits = CDR_NAME(cdr_block)(p, block, n, delimiter, &found);
        uint64_t separators = found;  // a copy whose address is not taken: it stays in a register
        uint64_t newlines = bits.newlines;
        uint64_t quotes = quoting ? bits.quotes : 0;
        uint64_t take;
        if ((quotes | inside | closed) == 0) {
            // No quote in or around the block: its fields are plain.
            take = newlines != 0 ? (newlines & -newlines) - 1 : ~(uint64_t)0;
            separators &= take;
            boundary = separators >> 63;
            intptr_t here = offset + block;
            while (separators != 0) {
                intptr_t at = here + __builtin_ctzll(separators);
                separators &= separators - 1;
                if (out == limit) return 0;
                out[0] = offset + start;
                out[1] = at;
                out += 2;
                start = at + 1 - offset;
            }
        } else {
            uint64_t in = cdr_inside(quotes) ^ inside;
            uint64_t opens = quotes & in;
            uint64_t closes = quotes & ~in;
            uint64_t ends = newlines & ~in;
            take = ends != 0 ? (ends & -ends) - 1 : ~(uint64_t)0;
            // A newline inside quotes before the line's end: a record of several lines, for the general scanner.
            if ((newlines & in & take) != 0) return -1;
            separators &= ~in;
            // After a closing quote comes a separator, the line's end (CR LF or LF) or the second quote of a
            // doubled one; an opening quote starts a field (after a separator or at the line's start) or is that
            // second quote. Anything else (a quote inside an unquoted field, a space before an opening quote, a
            // byte after a closing one) is for the general scanner.
            uint64_t after = (closes << 1) | closed;
            uint64_t bad = after & ~(separators | quotes | ends) & ((take << 1) | 1);
            if (bad != 0) {
                // The one other byte a closing quote may precede: the CR of the line's CR LF.
                intptr_t at = block + __builtin_ctzll(bad);
                if (at + 1 >= n) return 0;  // the buffer ends at or right after that byte: more bytes are needed
                if ((bad & (bad - 1)) != 0 || p[at] != '\r' || p[at + 1] != '\n') return -1;
            }
            if ((opens & ~(((separators | closes) << 1) | boundary) & take) != 0) return -1;
            uint64_t pairs = opens & after & take;
            boundary = (separators | closes) >> 63;
            closed = closes >> 63;
            inside = (uint64_t)((int64_t)in >> 63);
            separators &= take;
            // Two loops, the second for blocks with doubled quotes: one test a field fewer in the first, which
            // one merged loop cost (8-12 % more instructions for the split of Twilio's, CUCM's, Asterisk's rows).
            if ((pairs | (uint64_t)doubled) == 0) {
                while (separators != 0) {
                    unsigned bit = (unsigned)__builtin_ctzll(separators);
                    intptr_t at = block + bit;
                    separators &= separators - 1;
                    if (out == limit) return 0;
                    cdr_quoted_bounds(out, p, offset, start, at, after, bit);
                    out += 2;
                    start = at + 1;
                }
            } else {
                while (separators != 0) {
                    unsigned bit = (unsigned)__builtin_ctzll(separators);
                    intptr_t at = block + bit;
                    separators &= separators - 1;
                    if (out == limit) return 0;
                    cdr_quoted_bounds(out, p, offset, start, at, after, bit);
                    // The fields holding doubled quotes, to collapse.
                    uint64_t below = ((uint64_t)1 << bit) - 1;
                    if (doubled || (pairs & below) != 0) {
                        intptr_t f = (out - bounds) / 2;
                        if (f >= 64) return -1;
                        fold |= (uint64_t)1 << f;
                    }
                    pairs &= ~below;
                    doubled = 0;
                    out += 2;
                    start = at + 1;
                }
            }
            if (pairs != 0) doubled = 1;
        }
        if (newlines & (take + 1)) {
            intptr_t lineEnd = block + __builtin_ctzll(take + 1);
            intptr_t e = lineEnd > 0 && p[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            if (out == limit || e < start) return 0;
            intptr_t s = start;
            if (quoting && e > s && p[s] == '"') {
                s += 1;
                e -= 1;
            }
            out[0] = offset + s;
            out[1] = offset + e;
            if (doubled) {
                intptr_t f = (out - bounds) / 2;
                if (f >= 64) return -1;
                fold |= (uint64_t)1 << f;
            }
            out += 2;
            *next = lineEnd + 1;
            *collapse = fold;
            return (out - bounds) / 2;
        }
    }
    return 0;
}
