/* Hex digits, decoded once for every decoder that meets them: JSON's \u,
 * percent-encoding, XML's &#x;, Python's \x and 0x literals. By value:
 * <ctype.h> would consult the locale. */
#ifndef ODOO_CORE_ASCII_H
#define ODOO_CORE_ASCII_H

#include <stddef.h>

/* c's value as a hex digit, or -1; a char or an unsigned char alike (no
 * negative value is a digit). */
static inline int odoo__hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20; /* 'A'..'F' -> 'a'..'f'; no other byte becomes one */
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The four hex digits at t (n bytes there), or -1. */
static inline long odoo__hex4(const char *t, size_t n)
{
    if (n < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = odoo__hexval(t[i]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

#endif
