/* icc.h - the CMYK output profile compiled into chapbook for PDF/X-4
 * print files: the bytes of build/FOGRA39L-chapbook.icc, which make
 * builds with ArgyllCMS colprof from Fogra's FOGRA39L characterisation
 * data (tests/build-icc.sh), turned into C by the Makefile ($(B)/icc.c).
 * Compiled in, so an installed or copied binary needs no data file. */
#ifndef CHAPBOOK_ICC_H
#define CHAPBOOK_ICC_H

#include <stddef.h>

extern const unsigned char icc_output_profile[];
extern const size_t icc_output_profile_len;

/* The printing condition it characterises, as registered at the ICC. */
#define ICC_CONDITION_ID "FOGRA39"
#define ICC_REGISTRY "http://www.color.org"
#define ICC_CONDITION "Offset printing on coated paper (ISO 12647-2:2004/Amd 1, FOGRA39)"
#define ICC_INFO "FOGRA39L coated offset, built by chapbook with ArgyllCMS colprof"

#endif
