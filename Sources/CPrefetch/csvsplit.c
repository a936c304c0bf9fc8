#include "cprefetch.h"

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The quote bits and the newline bits of 64 bytes (two registers where it is returned).
typedef struct {
    uint64_t quotes;
    uint64_t newlines;
} cdr_bits;

/// `cdr_block` for the last bytes of the buffer, one at a time (out of line, so that the loops calling
/// `cdr_block` keep their values in registers).
__attribute__((noinline)) static cdr_bits cdr_block_tail(const unsigned char *p, intptr_t at, intptr_t n,
                                                         unsigned char delimiter, uint64_t *separators) {
    cdr_bits b = {0, 0};
    uint64_t s = 0;
    intptr_t end = at + 64 < n ? at + 64 : n;
    for (intptr_t i = at; i < end; i++) {
        if (p[i] == delimiter) s |= (uint64_t)1 << (i - at);
        if (p[i] == '"') b.quotes |= (uint64_t)1 << (i - at);
        if (p[i] == '\n') b.newlines |= (uint64_t)1 << (i - at);
    }
    if (separators != NULL) *separators = s;
    return b;
}

#if defined(__SSE2__)
/// The bits of the bytes equal to `x` among the 64 in `v`.
static inline uint64_t cdr_equal(const __m128i v[4], __m128i x) {
    return (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v[0], x))
        | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v[1], x)) << 16
        | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v[2], x)) << 32
        | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v[3], x)) << 48;
}
#endif

/// Bits of the quotes and of the newlines among `p[at..<at+64]` (bytes at or past `n` give none), and of the
/// separators in `*separators` unless it is NULL.
static inline cdr_bits cdr_block(const unsigned char *p, intptr_t at, intptr_t n, unsigned char delimiter,
                                 uint64_t *separators) {
#if defined(__SSE2__)
    if (at + 64 <= n) {
        __m128i v[4];
        for (int k = 0; k < 4; k++) v[k] = _mm_loadu_si128((const __m128i *)(p + at + 16 * k));
        if (separators != NULL) *separators = cdr_equal(v, _mm_set1_epi8((char)delimiter));
        cdr_bits r;
        r.quotes = cdr_equal(v, _mm_set1_epi8('"'));
        r.newlines = cdr_equal(v, _mm_set1_epi8('\n'));
        return r;
    }
#endif
    return cdr_block_tail(p, at, n, delimiter, separators);
}

/// Moves to the next block of 64 bytes while the current one has no quote left. Every byte of a block left so
/// lies inside the record, so a newline there is one inside a field: returns 0 then (as when the buffer ends).
#define CDR_NEXT_QUOTE()                                                                                         \
    while (bits.quotes == 0) {                                                                                   \
        if (bits.newlines != 0) return 0;                                                                        \
        block += 64;                                                                                             \
        if (block >= n) return 0;                                                                                \
        bits = cdr_block(p, block, n, delimiter, NULL);                                                          \
    }

intptr_t cdr_split_quoted(const unsigned char *p, intptr_t n, unsigned char delimiter, intptr_t offset,
                          intptr_t *bounds, intptr_t maxFields, intptr_t *next) {
    // Blocks of 64 bytes from p; `bits.quotes` holds the quote bits of block `block` not yet passed.
    intptr_t block = 0;
    cdr_bits bits = cdr_block(p, 0, n, delimiter, NULL);
    bits.quotes &= bits.quotes - 1;  // p[0], the first field's opening quote
    intptr_t *out = bounds;
    intptr_t *const limit = bounds + 2 * maxFields;
    intptr_t start = 1;  // where the current field's content starts
    for (;;) {
        // The closing quote: the next quote bit.
        CDR_NEXT_QUOTE()
        intptr_t close = block + __builtin_ctzll(bits.quotes);
        bits.quotes &= bits.quotes - 1;
        if (close + 2 >= n || out == limit) return 0;
        out[0] = offset + start;
        out[1] = offset + close;
        out += 2;
        unsigned char c = p[close + 1];
        if (c == delimiter) {
            // The next field must open right after the separator; its quote is the next quote bit.
            if (p[close + 2] != '"') return 0;
            start = close + 3;
            CDR_NEXT_QUOTE()
            bits.quotes &= bits.quotes - 1;
            continue;
        }
        intptr_t end;
        if (c == '\n') {
            end = close + 2;
        } else if (c == '\r' && p[close + 2] == '\n') {
            end = close + 3;
        } else {
            // A quote inside the field (doubled or not), a byte after the closing quote: not this path.
            return 0;
        }
        // No newline before the closing quote in its block (earlier blocks were checked as they were left).
        if ((bits.newlines & (((uint64_t)1 << (close - block)) - 1)) != 0) return 0;
        *next = end;
        return (out - bounds) / 2;
    }
}

intptr_t cdr_split_plain(const unsigned char *p, intptr_t n, unsigned char delimiter, int quoting, intptr_t offset,
                         intptr_t *bounds, intptr_t maxFields, intptr_t *next) {
    intptr_t *out = bounds;
    intptr_t *const limit = bounds + 2 * maxFields;
    intptr_t start = offset;  // where the current field starts (plus `offset`, as every bound written)
    for (intptr_t block = 0; block < n; block += 64) {
        uint64_t found;
        cdr_bits bits = cdr_block(p, block, n, delimiter, &found);
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

/// Bits set from each quote bit up to (not including) the next: the bytes inside quotes, with the opening quote
/// and without the closing one (a prefix XOR).
static inline uint64_t cdr_inside(uint64_t quotes) {
    quotes ^= quotes << 1;
    quotes ^= quotes << 2;
    quotes ^= quotes << 4;
    quotes ^= quotes << 8;
    quotes ^= quotes << 16;
    quotes ^= quotes << 32;
    return quotes;
}

/// The bounds of the field `p[start..<at]` ending at the separator bit `bit` of its block, without its quotes
/// when it is quoted (its opening quote at `start`, its closing one right before the separator: bit `bit` of
/// `after`, the bytes right after a closing quote).
static inline void cdr_quoted_bounds(intptr_t *out, const unsigned char *p, intptr_t offset, intptr_t start,
                                     intptr_t at, uint64_t after, unsigned bit) {
    out[0] = offset + start + (p[start] == '"');
    out[1] = offset + at - (intptr_t)((after >> bit) & 1);
}

intptr_t cdr_split_line(const unsigned char *p, intptr_t n, unsigned char delimiter, int quoting, intptr_t offset,
                        intptr_t *bounds, intptr_t maxFields, intptr_t *next, uint64_t *collapse) {
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
        cdr_bits bits = cdr_block(p, block, n, delimiter, &found);
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
