#include "cprefetch.h"

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bits of the quotes and of the newlines among `p[at..<at+64]` (bytes at or past `n` give none).
static inline void cdr_block(const unsigned char *p, intptr_t at, intptr_t n, uint64_t *quotes, uint64_t *newlines) {
#if defined(__SSE2__)
    if (at + 64 <= n) {
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i newline = _mm_set1_epi8('\n');
        __m128i a = _mm_loadu_si128((const __m128i *)(p + at));
        __m128i b = _mm_loadu_si128((const __m128i *)(p + at + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(p + at + 32));
        __m128i d = _mm_loadu_si128((const __m128i *)(p + at + 48));
        *quotes = (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, quote))
            | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, quote)) << 16
            | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, quote)) << 32
            | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, quote)) << 48;
        *newlines = (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, newline))
            | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, newline)) << 16
            | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, newline)) << 32
            | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, newline)) << 48;
        return;
    }
#endif
    uint64_t q = 0, nl = 0;
    intptr_t end = at + 64 < n ? at + 64 : n;
    for (intptr_t i = at; i < end; i++) {
        if (p[i] == '"') q |= (uint64_t)1 << (i - at);
        if (p[i] == '\n') nl |= (uint64_t)1 << (i - at);
    }
    *quotes = q;
    *newlines = nl;
}

intptr_t cdr_split_quoted(const unsigned char *p, intptr_t n, unsigned char delimiter, intptr_t offset,
                          intptr_t *bounds, intptr_t maxFields, intptr_t *next) {
    // Blocks of 64 bytes from p; `quotes` holds the quote bits of block `block` not yet used.
    intptr_t block = 0;
    uint64_t quotes, newlines;
    cdr_block(p, 0, n, &quotes, &newlines);
    intptr_t i = 0;  // where the next field's opening quote must be
    intptr_t fields = 0;
    for (;;) {
        // The opening quote: the next quote bit, exactly at i.
        while (quotes == 0) {
            // Every byte of this block lies inside the record: a newline there is inside a field.
            if (newlines != 0) return 0;
            block += 64;
            if (block >= n) return 0;
            cdr_block(p, block, n, &quotes, &newlines);
        }
        if (block + __builtin_ctzll(quotes) != i || fields == maxFields) return 0;
        quotes &= quotes - 1;
        // The closing quote.
        while (quotes == 0) {
            if (newlines != 0) return 0;
            block += 64;
            if (block >= n) return 0;
            cdr_block(p, block, n, &quotes, &newlines);
        }
        intptr_t close = block + __builtin_ctzll(quotes);
        quotes &= quotes - 1;
        if (close + 1 >= n) return 0;
        bounds[2 * fields] = offset + i + 1;
        bounds[2 * fields + 1] = offset + close;
        fields += 1;
        unsigned char c = p[close + 1];
        if (c == delimiter) {
            i = close + 2;
            continue;
        }
        intptr_t end;
        if (c == '\n') {
            end = close + 2;
        } else if (c == '\r' && close + 2 < n && p[close + 2] == '\n') {
            end = close + 3;
        } else {
            // A quote inside the field (doubled or not), a byte after the closing quote: not this path.
            return 0;
        }
        // No newline before the closing quote in its block (earlier blocks were checked as they were left).
        intptr_t at = close - block;
        if ((newlines & (((uint64_t)1 << at) - 1)) != 0) return 0;
        *next = end;
        return fields;
    }
}
