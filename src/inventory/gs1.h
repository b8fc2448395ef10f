/*
 * The GS1 element string parser (gs1.c), for the public bo_gs1_* calls,
 * the fuzz target and the tests.
 */
#ifndef BO_INVENTORY_GS1_H
#define BO_INVENTORY_GS1_H

#include "inventory/inventory.h"

/** Longest data of one element (AIs 91-99). */
#define BO_GS1_VALUE_MAX 90

typedef struct bo__gs1_element {
    char ai[5];
    char value[BO_GS1_VALUE_MAX + 1];
    size_t pos; /* 1-based position of its data in the text */
} bo__gs1_element;

typedef struct bo__gs1 {
    int n;
    bo__gs1_element e[BO_GS1_ELEMENTS_MAX];
} bo__gs1;

/* Parse len bytes of text (no NUL needed; a NUL byte is malformed).
 * BO_EBARCODE names the position and the AI; BO_ECHECKDIGIT a wrong GTIN,
 * SSCC or GLN check digit; BO_ELIMIT beyond BO_GS1_TEXT_MAX bytes. */
int bo__gs1_parse(const char *text, size_t len, bo__gs1 *out);
/* The data of AI ai, or NULL. */
const char *bo__gs1_value(const bo__gs1 *g, const char *ai);
/* The GS1 check digit (mod 10, weights 3 1 from the right) of n digits. */
int bo__gs1_check_digit(const char *digits, size_t n);

#endif
